// e2e.mjs - the web interface tested as people use it: headless Debian
// Chromium driven by playwright-core, against a real `qingling serve` on a
// fresh demo database, at a desk (1366×768) and on a phone (390×844).
//
//   node web/tests/e2e.mjs [--bin build/qingling] [-k NAME]
//
// Screenshots of each main page go to $QL_ARTIFACTS (default
// test-output/artifacts), named web-*.png.  Ends with "N passed, M failed".
import { execFileSync, spawn } from 'node:child_process'
import fs from 'node:fs'
import net from 'node:net'
import os from 'node:os'
import path from 'node:path'
import zlib from 'node:zlib'
import { fileURLToPath } from 'node:url'
import { chromium } from 'playwright-core'

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')
const argv = process.argv.slice(2)
const opt = (name, dflt) => (argv.includes(name) ? argv[argv.indexOf(name) + 1] : dflt)
const BIN = path.resolve(ROOT, opt('--bin', 'build/qingling'))
const ONLY = opt('-k', '')
const ART = process.env.QL_ARTIFACTS || path.join(ROOT, 'test-output', 'artifacts')
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium'
const PASSWORD = 'Demo@2026'
const DESK = { width: 1366, height: 768 }
const PHONE = { width: 390, height: 844 }
fs.mkdirSync(ART, { recursive: true })
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'qingling-e2e-'))

function check(cond, message) {
  if (!cond) throw new Error(message)
}

// --- the server -------------------------------------------------------------

function freePort() {
  return new Promise((resolve) => {
    const s = net.createServer()
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address()
      s.close(() => resolve(port))
    })
  })
}

async function startServer() {
  const db = path.join(tmp, 'demo.db')
  execFileSync(BIN, ['init', '--db', db], { stdio: 'pipe' })
  execFileSync(BIN, ['demo', '--db', db], { stdio: 'pipe' })
  const port = await freePort()
  const log = fs.openSync(path.join(tmp, 'serve.log'), 'w')
  const proc = spawn(BIN, ['serve', '--db', db, '--listen', `127.0.0.1:${port}`, '--web', path.join(ROOT, 'web', 'dist')],
    { stdio: ['ignore', log, log] })
  const base = `http://127.0.0.1:${port}`
  for (let i = 0; i < 150; i++) {
    try {
      if ((await fetch(base + '/api/v1/health')).ok) return { proc, base }
    } catch { /* not yet */ }
    await new Promise((r) => setTimeout(r, 100))
  }
  throw new Error('server did not start: ' + fs.readFileSync(path.join(tmp, 'serve.log'), 'utf8'))
}

// The API as a logged-in user, for setting up and checking.
async function apiAs(base, login, password = PASSWORD) {
  const r = await fetch(base + '/api/v1/session', {
    method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ login, password }),
  })
  check(r.ok, `login ${login}: ${r.status}`)
  const cookie = r.headers.get('set-cookie').split(';')[0]
  const { csrf_token: csrf } = await r.json()
  const call = async (method, p, body) => {
    const res = await fetch(base + p, {
      method, headers: { Cookie: cookie, 'X-CSRF-Token': csrf, 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    })
    const text = await res.text()
    if (!res.ok) throw new Error(`${method} ${p}: ${res.status} ${text}`)
    return text ? JSON.parse(text) : null
  }
  return { get: (p) => call('GET', p), post: (p, b) => call('POST', p, b) }
}

// --- a small PNG photo (what a phone camera would give, smaller) -------------

const CRC = Array.from({ length: 256 }, (_, n) => {
  let c = n
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1
  return c >>> 0
})
function crc32(buf) {
  let c = 0xffffffff
  for (const b of buf) c = CRC[(c ^ b) & 0xff] ^ (c >>> 8)
  return (c ^ 0xffffffff) >>> 0
}
function chunk(type, data) {
  const len = Buffer.alloc(4)
  len.writeUInt32BE(data.length)
  const td = Buffer.concat([Buffer.from(type, 'ascii'), data])
  const crc = Buffer.alloc(4)
  crc.writeUInt32BE(crc32(td))
  return Buffer.concat([len, td, crc])
}
function photoPng(width, height) {
  const raw = Buffer.alloc((width * 3 + 1) * height)
  for (let y = 0; y < height; y++) {
    raw[y * (width * 3 + 1)] = 0
    for (let x = 0; x < width; x++) {
      const o = y * (width * 3 + 1) + 1 + x * 3
      raw[o] = (x * 255) / width
      raw[o + 1] = (y * 255) / height
      raw[o + 2] = 90
    }
  }
  const ihdr = Buffer.alloc(13)
  ihdr.writeUInt32BE(width, 0)
  ihdr.writeUInt32BE(height, 4)
  ihdr[8] = 8
  ihdr[9] = 2
  const file = path.join(tmp, 'site-photo.png')
  fs.writeFileSync(file, Buffer.concat([Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]), chunk('IHDR', ihdr),
    chunk('IDAT', zlib.deflateSync(raw)), chunk('IEND', Buffer.alloc(0))]))
  return file
}

// --- helpers in the page -----------------------------------------------------

async function shot(page, name) {
  await page.waitForTimeout(300) // let charts and transitions settle
  await page.screenshot({ path: path.join(ART, `web-${name}.png`), fullPage: true })
}

async function login(page, base, who, password = PASSWORD) {
  await page.goto(base + '/login')
  await page.fill('input[name=login]', who)
  await page.fill('input[name=password]', password)
  await page.click('button:has-text("登 录")')
}

async function logout(page) {
  await page.click('[data-test=user-menu]')
  await page.click('.el-dropdown-menu__item:has-text("退出登录")')
  await page.waitForURL(/\/login/)
}

// Fills a date picker by typing, the way a keyboard user would.
async function fillDate(scope, name, value) {
  const input = scope.locator(`input[name=${name}]`)
  await input.click()
  await input.fill(value)
  await input.press('Enter')
}

function isoDay(offset = 0) {
  const d = new Date(Date.now() + offset * 86400000)
  const p = (n) => String(n).padStart(2, '0')
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`
}

// Words in Latin letters that may appear in the interface: file formats.
const ALLOWED_LATIN = new Set(['Excel', 'PDF', 'JPG', 'PNG', 'Word', 'MB', 'GB', 'YYYY', 'MM', 'DD'])
async function assertChineseOnly(page, where, data = []) {
  let text = await page.evaluate(() => document.body.innerText)
  for (const d of data) text = text.split(d).join(' ')
  const words = (text.match(/[A-Za-z]{2,}/g) || []).filter((w) => !ALLOWED_LATIN.has(w))
  // hazard codes (YH-…) and credit codes are data, not words of the interface
  const stray = words.filter((w) => !/^YH$/.test(w) && !/^MA$/.test(w))
  check(stray.length === 0, `${where}: English or placeholder text in the interface: ${[...new Set(stray)].join(', ')}`)
}

async function noSideScroll(page, where) {
  const [sw, w] = await page.evaluate(() => [document.documentElement.scrollWidth, window.innerWidth])
  check(sw <= w + 1, `${where}: the page is ${sw}px wide on a ${w}px screen`)
}

async function menuOf(page) {
  await page.waitForSelector('.el-menu-item')
  return page.$$eval('.el-aside .el-menu-item', (els) => els.map((e) => e.innerText.trim()))
}

// --- the tests ---------------------------------------------------------------

const tests = []
const test = (name, fn) => tests.push({ name, fn })

let ctx // { base, browser, setup }

async function desk(fn, viewport = DESK, extra = {}) {
  const context = await ctx.browser.newContext({ viewport, locale: 'zh-CN', timezoneId: 'Asia/Shanghai', acceptDownloads: true, ...extra })
  const page = await context.newPage()
  page.setDefaultTimeout(10000)
  try {
    return await fn(page, context)
  } catch (e) {
    await page.screenshot({ path: path.join(ART, `web-failed-${Date.now()}.png`), fullPage: true }).catch(() => {})
    throw e
  } finally {
    await context.close()
  }
}

test('login errors: wrong password, then a locked account', async () => {
  const admin = await apiAs(ctx.base, 'admin')
  await admin.post('/api/v1/users', { login: 'lockme', name: '锁定测试', role: 'office', region_code: '210323', password: 'Passw0rd!x' })
  await desk(async (page) => {
    await login(page, ctx.base, 'county_office', 'wrong-Passw0rd')
    await page.waitForSelector('[data-test=login-error]')
    check((await page.innerText('[data-test=login-error]')).includes('用户名或密码错误'), 'no wrong-password message')
    await shot(page, 'login-error')
    for (let i = 0; i < 5; i++) {
      await login(page, ctx.base, 'lockme', 'wrong-Passw0rd')
      await page.waitForSelector('[data-test=login-error]')
    }
    await login(page, ctx.base, 'lockme', 'Passw0rd!x')
    await page.waitForSelector('[data-test=login-error]:has-text("锁定")')
  })
})

test('first login forces a password change, then opens the home page', async () => {
  const admin = await apiAs(ctx.base, 'admin')
  await admin.post('/api/v1/users', { login: 'newbie', name: '新同事', role: 'office', region_code: '210323', password: 'Passw0rd!x' })
  await desk(async (page) => {
    await login(page, ctx.base, 'newbie', 'Passw0rd!x')
    await page.waitForURL(/\/password/)
    await page.waitForSelector('text=首次登录或密码已被重置')
    await shot(page, 'password-change')
    await page.goto(ctx.base + '/hazards')
    await page.waitForURL(/\/password/) // nothing else opens until it is changed
    await page.fill('input[name=old_password]', 'Passw0rd!x')
    await page.fill('input[name=new_password]', 'Better#2026x')
    await page.fill('input[name=confirm]', 'Better#2026y')
    await page.click('button:has-text("确认修改")')
    await page.waitForSelector('text=两次输入的新密码不一致')
    await page.fill('input[name=confirm]', 'Better#2026x')
    await page.click('button:has-text("确认修改")')
    await page.waitForURL(/\/hazards/)
    await page.waitForSelector('[data-test=ledger]')
  })
})

test('menus follow the role, and a page outside the role is refused', async () => {
  const want = {
    admin: ['用户管理', '区划与部门'],
    secadmin: ['用户管理', '安全策略'],
    auditor: ['审计日志'],
    county_office: ['首页', '隐患台账', '登记隐患', '企业管理', '主体责任落实', '专项行动', '四个清单', '举报处理', '月度调度表'],
    yjj_inspector: ['首页', '隐患台账', '登记隐患', '企业管理', '主体责任落实', '专项行动', '四个清单', '举报处理', '月度调度表'],
    [ctx.setup.entLogin]: ['首页', '隐患台账', '登记隐患', '本企业信息', '主体责任落实'],
  }
  for (const [who, items] of Object.entries(want)) {
    await desk(async (page) => {
      await login(page, ctx.base, who)
      const got = await menuOf(page)
      check(JSON.stringify(got) === JSON.stringify(items), `${who} sees ${got.join('、')}, not ${items.join('、')}`)
      if (who === 'admin') await shot(page, 'admin-users')
      if (who === 'auditor') {
        await shot(page, 'auditor-audit')
        await page.goto(ctx.base + '/hazards')
        await page.waitForSelector('text=无权访问')
      }
    })
  }
})

test('the closed loop of a major hazard, in the browser', async () => {
  const { entLogin, entId, otherHazard } = ctx.setup
  const office = await apiAs(ctx.base, 'county_office')
  const closedBefore = ((await office.get('/api/v1/stats/hazards?group_by=status')).groups.find((g) => g.key === 'closed') || { total: 0 }).total
  let hazardPath
  await desk(async (page) => {
    await login(page, ctx.base, entLogin)
    await page.waitForURL((u) => u.pathname === '/')
    await page.click('.el-menu-item:has-text("登记隐患")')
    await page.waitForURL(/\/hazards\/new/)
    await page.click('[data-test=level] >> text=重大隐患')
    await page.fill('input[name=location]', '二号车间东侧液氨储罐区')
    await page.fill('textarea[name=description]', '液氨储罐区未设置泄漏报警装置，安全阀超期未检验。')
    await page.fill('input[name=basis]', '《工贸企业重大事故隐患判定标准》第十条')
    await page.setInputFiles('[data-test=photo-input]', photoPng(640, 480))
    await page.waitForSelector('text=site-photo.png')
    await shot(page, 'hazard-register')
    await page.click('[data-test=submit]')
    await page.waitForURL(/\/hazards\/\d+$/)
    hazardPath = new URL(page.url()).pathname
    await page.waitForSelector('[data-test=status] >> text=待制定方案')
    await page.waitForSelector('[data-test=photos] img')

    // the plan: first empty (checked in the page), then a deadline before
    // the day it was found (refused by the server, shown at the field)
    await page.click('[data-test=action-plan]')
    const dlg = page.locator('.el-dialog:visible')
    await dlg.locator('[data-test=confirm]').click()
    await dlg.locator('text=请填写整改责任人').waitFor()
    await dlg.locator('text=请填写应急预案').waitFor()
    await dlg.locator('input[name=responsible_person]').fill('王建国')
    await dlg.locator('textarea[name=measures]').fill('加装泄漏报警装置并与紧急切断联锁；安全阀送检。')
    await fillDate(dlg, 'deadline', isoDay(-400))
    await dlg.locator('input[name=funds]').fill('86000.5')
    await dlg.locator('textarea[name=emergency_plan]').fill('液氨泄漏现场处置方案')
    await dlg.locator('textarea[name=interim_measures]').fill('每班巡检两次，设置警戒区')
    await dlg.locator('[data-test=confirm]').click()
    // the server's message replaces the page's own at the field it names
    await dlg.locator('.el-form-item:has(input[name=deadline]) .el-form-item__error:has-text("整改期限不能早于发现日期")').waitFor()
    await page.waitForFunction(() => document.querySelectorAll('.el-dialog .el-form-item__error').length === 1,
      null, { timeout: 3000 }).catch(() => { throw new Error('errors left at fields that are now right') })
    await shot(page, 'hazard-plan-field-error')
    await fillDate(dlg, 'deadline', isoDay(30))
    await dlg.locator('[data-test=confirm]').click()
    await page.waitForSelector('[data-test=status] >> text=整改中')

    await page.click('[data-test=action-submit]')
    await page.locator('.el-dialog:visible [data-test=confirm]').click()
    await page.waitForSelector('[data-test=status] >> text=待验收')
    await page.click('[data-test=action-accept]')
    await page.locator('.el-dialog:visible input[name=acceptor]').fill('李安全')
    await page.locator('.el-dialog:visible [data-test=confirm]').click()
    await page.waitForSelector('[data-test=status] >> text=待核销')
    check(!(await page.isVisible('[data-test=action-verify]')), 'the enterprise is offered verification')
    await shot(page, 'hazard-awaiting-verification')

    // another enterprise's hazard is not reachable by its address
    await page.goto(ctx.base + `/hazards/${otherHazard}`)
    await page.waitForSelector('text=隐患不存在或不在您的管辖范围内')
    await page.goto(ctx.base + `/enterprises/${entId + 1}`)
    await page.waitForSelector('text=企业不存在或不在您的管辖范围内')
  })

  await desk(async (page) => {
    await login(page, ctx.base, 'yjj_inspector')
    await page.waitForURL((u) => u.pathname === '/')
    await page.goto(ctx.base + hazardPath)
    await page.click('[data-test=action-verify]')
    await page.locator('.el-dialog:visible textarea[name=note]').fill('现场核查，整改到位')
    await page.locator('.el-dialog:visible [data-test=confirm]').click()
    await page.waitForSelector('[data-test=status] >> text=已销号')
    await page.waitForSelector('[data-test=history] >> text=审核核销')
    await shot(page, 'hazard-closed')
  })

  await desk(async (page) => {
    await login(page, ctx.base, 'county_office')
    await page.waitForSelector('[data-test=card-closed] .num')
    const shown = Number(await page.innerText('[data-test=card-closed] .num'))
    check(shown === closedBefore + 1, `dashboard shows ${shown} closed, want ${closedBefore + 1}`)
    await page.waitForSelector('[data-test=chart-regions] canvas')
    await page.waitForSelector('[data-test=chart-months] canvas')
    await assertChineseOnly(page, 'dashboard')
    await shot(page, 'dashboard')
    await page.click('[data-test=card-closed]')
    await page.waitForURL(/\/hazards\?status=closed/)
    await page.waitForSelector('[data-test=ledger] .el-table__row')
    const tags = await page.$$eval('[data-test=ledger] .el-table__row', (rows) => rows.map((r) => r.innerText))
    check(tags.length > 0 && tags.every((t) => t.includes('已销号')), 'the closed card did not filter the ledger')
  })
})

test('the ledger filters, marks overdue and supervised, and exports the view', async () => {
  await desk(async (page) => {
    await login(page, ctx.base, 'county_office')
    await page.click('.el-menu-item:has-text("隐患台账")')
    await page.waitForSelector('[data-test=ledger] .el-table__row')
    await page.click('[data-test=filter-overdue]')
    await page.click('[data-test=search]')
    await page.waitForURL(/overdue=true/)
    await page.waitForSelector('[data-test=ledger] .el-table__row')
    const rows = await page.$$eval('[data-test=ledger] .el-table__row', (rs) => rs.map((r) => r.innerText))
    check(rows.length > 0 && rows.every((t) => t.includes('逾期')), 'overdue filter shows rows without the 逾期 mark')
    await assertChineseOnly(page, 'ledger')
    await shot(page, 'ledger-overdue')
    const [dl] = await Promise.all([page.waitForEvent('download'), page.click('[data-test=export]')])
    const file = path.join(tmp, 'export.xlsx')
    await dl.saveAs(file)
    check(fs.readFileSync(file).subarray(0, 2).toString() === 'PK', 'export is not an xlsx file')
    await page.goto(ctx.base + '/hazards?supervised=true')
    await page.waitForSelector('[data-test=ledger] .el-table__row')
    const sup = await page.$$eval('[data-test=ledger] .el-table__row', (rs) => rs.map((r) => r.innerText))
    check(sup.every((t) => t.includes('挂牌')), 'supervised filter shows rows without the 挂牌 mark')
  })
})

test('an expired session goes to login and comes back to the page', async () => {
  await desk(async (page, context) => {
    await login(page, ctx.base, 'county_office')
    await page.waitForURL((u) => u.pathname === '/')
    await page.waitForSelector('[data-test=chart-months] canvas')
    await context.clearCookies()
    await page.click('.el-menu-item:has-text("企业管理")')
    await page.waitForURL(/\/login\?redirect=/)
    await page.fill('input[name=login]', 'county_office')
    await page.fill('input[name=password]', PASSWORD)
    await page.click('button:has-text("登 录")')
    await page.waitForURL(/\/enterprises/)
    await page.waitForSelector('.el-table__row')
    await assertChineseOnly(page, 'enterprises')
    await shot(page, 'enterprises')
  })
})

test('on a phone: the menu, the ledger and registering fit the screen', async () => {
  await desk(async (page) => {
    await login(page, ctx.base, ctx.setup.entLogin)
    await page.waitForURL((u) => u.pathname === '/')
    await noSideScroll(page, 'phone dashboard')
    await page.click('button[aria-label=打开菜单]')
    await page.click('.el-drawer .el-menu-item:has-text("隐患台账")')
    await page.waitForURL(/\/hazards/)
    await page.waitForSelector('[data-test=ledger] .el-table__row')
    await shot(page, 'phone-ledger')
    await page.goto(ctx.base + '/hazards/new')
    await page.waitForSelector('[data-test=photo-input]', { state: 'attached' })
    check(await page.getAttribute('[data-test=photo-input]', 'capture') === 'environment', 'no camera capture on the photo input')
    await noSideScroll(page, 'phone register')
    await shot(page, 'phone-register')
  }, PHONE, { isMobile: true, hasTouch: true })
})

test('a public tip-off from a phone, followed by its tracking code', async () => {
  await desk(async (page) => {
    await page.goto(ctx.base + '/tip')
    // one select per level; the only province is chosen already
    for (const [level, name] of [[1, '鞍山市'], [2, '岫岩满族自治县'], [3, '岫岩镇']]) {
      await page.click(`[data-test=region-level-${level}]`)
      await page.click(`.el-select-dropdown__item:visible:has-text("${name}")`)
    }
    await page.fill('input[name=place]', '岫岩镇某加油站后院')
    await page.fill('textarea[name=description]', '加油站后院堆放大量油桶，旁边有人抽烟，存在火灾爆炸危险。')
    await page.setInputFiles('[data-test=tip-photo-input]', photoPng(800, 600))
    await page.waitForSelector('text=site-photo.png')
    await noSideScroll(page, 'phone tip')
    await shot(page, 'phone-tip')
    await page.click('button:has-text("提交举报")')
    await page.waitForSelector('[data-test=tracking-code]')
    await page.waitForSelector('text=已附 1 张照片')
    const code = (await page.innerText('[data-test=tracking-code]')).trim()
    check(code.length >= 8, 'no tracking code')
    await page.click('button:has-text("查询进度")')
    await page.waitForSelector('[data-test=tip-status] >> text=' + code)
    await assertChineseOnly(page, 'tip tracking', [code])
    await shot(page, 'phone-tip-track')
  }, PHONE, { isMobile: true, hasTouch: true })
})

test('an office registers an enterprise: a wrong credit code is shown at its field', async () => {
  await desk(async (page) => {
    await login(page, ctx.base, 'county_office')
    await page.click('.el-menu-item:has-text("企业管理")')
    await page.click('[data-test=new-enterprise]')
    await page.waitForURL(/\/enterprises\/new/)
    await page.fill('input[name=uscc]', '91210323MA0Y8N5X2K') // a wrong check character
    await page.fill('input[name=name]', '岫岩满族自治县试验矿业有限公司')
    await page.click('.region-picker')
    await page.click('.el-cascader-node:has-text("岫岩满族自治县") .el-radio')
    await page.keyboard.press('Escape')
    await page.fill('input[name=industry_code]', 'B0810')
    await page.fill('input[name=main_person_name]', '高志强')
    await page.fill('input[name=main_person_phone]', '13904120001')
    await page.fill('input[name=controller_name]', '高志强')
    await page.fill('input[name=controller_phone]', '13904120001')
    await page.click('[data-test=departments]')
    await page.click('.el-select-dropdown__item:visible:has-text("县应急管理局")')
    await page.keyboard.press('Escape')
    await page.click('[data-test=save]')
    const err = page.locator('.el-form-item:has(input[name=uscc]) .el-form-item__error')
    await err.waitFor()
    check((await err.innerText()).includes('统一社会信用代码'), 'credit code error not at its field')
    await shot(page, 'enterprise-form-error')
    await page.fill('input[name=uscc]', ctx.setup.goodUscc)
    await page.click('[data-test=save]')
    await page.waitForURL(/\/enterprises\/\d+$/)
    await page.waitForSelector('text=岫岩满族自治县试验矿业有限公司')
    await page.waitForSelector('text=县应急管理局')
    await assertChineseOnly(page, 'enterprise detail', [ctx.setup.goodUscc, 'B0810'])
    await shot(page, 'enterprise-detail')
  })
})

test('the office verifies a tip-off into a hazard and sees the monthly return', async () => {
  const r = await fetch(ctx.base + '/api/v1/tips', {
    method: 'POST', headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ region_code: '210323100', place: '岫岩镇东街', description: '小作坊在居民楼内存放液化气钢瓶十余个。', anonymous: true }),
  })
  check(r.status === 201, `tip-off: ${r.status}`)
  const { tracking_code: code } = await r.json()
  const form = new FormData()
  form.append('file', new Blob([fs.readFileSync(photoPng(320, 240))], { type: 'image/png' }), '现场.png')
  const up = await fetch(ctx.base + `/api/v1/tips/${code}/photos`, { method: 'POST', body: form })
  check(up.status === 201, `tip photo: ${up.status}`)
  await desk(async (page) => {
    await login(page, ctx.base, 'county_office')
    await page.click('.el-menu-item:has-text("举报处理")')
    await page.waitForSelector('.el-table__row')
    await page.click('.el-table__row >> nth=0 >> button:has-text("核查")')
    const dlg = page.locator('.el-dialog:visible')
    await dlg.locator('[data-test=tip-photos] img').waitFor()
    await shot(page, 'tip-review')
    await dlg.locator('[data-test=enterprise-picker]').click()
    await page.click('.el-select-dropdown__item:visible >> nth=0')
    await dlg.locator('button:has-text("提交")').click()
    await page.waitForSelector('text=已核查')
    await page.click('.el-menu-item:has-text("月度调度表")')
    await page.waitForSelector('text=一、总体情况')
    await page.waitForSelector('text=企业自查发现的重大事故隐患')
    await assertChineseOnly(page, 'dispatch')
    await shot(page, 'dispatch')
    const [dl] = await Promise.all([page.waitForEvent('download'), page.click('button:has-text("导出 PDF")')])
    const file = path.join(tmp, 'dispatch.pdf')
    await dl.saveAs(file)
    check(fs.readFileSync(file).subarray(0, 5).toString() === '%PDF-', 'the return is not a PDF')
    await page.click('.el-menu-item:has-text("主体责任落实")')
    await page.waitForSelector('text=辖区企业主体责任落实情况')
    await page.waitForSelector('.el-table__row')
    await shot(page, 'compliance')
  })
})

test('a campaign: the county imports seed 003, a town adopts it and may not set a later deadline', async () => {
  await desk(async (page) => {
    await login(page, ctx.base, 'county_office')
    await page.click('.el-menu-item:has-text("专项行动")')
    await page.click('[data-test=new-campaign]')
    const dlg = page.locator('.el-dialog:visible')
    await dlg.locator('input[name=doc_number]').fill('岫安委〔2024〕5号')
    await dlg.locator('input[name=title]').fill('岫岩县安全生产治本攻坚三年行动')
    await fillDate(dlg, 'starts_on', '2024-01-01')
    await fillDate(dlg, 'ends_on', '2026-12-31')
    await dlg.locator('[data-test=save-campaign]').click()
    await page.waitForURL(/\/campaigns\/\d+$/)
    await page.setInputFiles('.el-upload input[type=file]', path.join(ROOT, 'tests', 'fixtures', 'seed003_schedule.csv'))
    await page.waitForSelector('[data-test=import-result] >> text=已导入 44 项任务、58 条具体要求')
    await page.waitForSelector('text=（八）开展全民安全素质提升行动')
    await assertChineseOnly(page, 'campaign', ['YH'])
    await shot(page, 'campaign-imported')
  })
  await desk(async (page) => {
    await login(page, ctx.base, 'town_office')
    await page.click('.el-menu-item:has-text("专项行动")')
    await page.click('[data-test=campaigns] .el-table__row >> nth=0')
    await page.click('[data-test=adopt]')
    await page.waitForSelector('text=承接上级部署')
    await page.click('button:has-text("调整时间") >> nth=0')
    const dlg = page.locator('.el-dialog:visible')
    await fillDate(dlg, 'due', '2027-06-30')
    await dlg.locator('button:has-text("保存")').click()
    await dlg.locator('.el-form-item__error:has-text("不能晚于上级要求的完成时间")').waitFor()
    await shot(page, 'campaign-adopted-deadline-error')
    await fillDate(dlg, 'due', '2024-06-30')
    await dlg.locator('button:has-text("保存")').click()
    await page.waitForSelector('text=已调整')
  })
})

test('an enterprise assesses a risk by LEC; the office submits its four lists for the quarter', async () => {
  await desk(async (page) => {
    await login(page, ctx.base, ctx.setup.entLogin)
    await page.click('.el-menu-item:has-text("本企业信息")')
    await page.click('[data-test=new-risk]')
    const dlg = page.locator('.el-dialog:visible')
    await dlg.locator('input[name=risk_point]').fill('液氨储罐区')
    await dlg.locator('input[name=hazard_source]').fill('液氨储罐及输送管道')
    await dlg.locator('[data-test=accident-types]').click()
    await page.click('.el-select-dropdown__item:visible:has-text("中毒和窒息")')
    await page.keyboard.press('Escape')
    await dlg.locator('textarea').first().fill('泄漏报警与紧急切断联锁，每班巡检')
    await dlg.locator('.el-form-item:has-text("责任人") input').fill('王建国')
    await dlg.locator('[data-test=save-risk]').click()
    await page.waitForSelector('text=已登记：')
    await page.waitForSelector('[data-test=risks] >> text=液氨储罐区')
    await shot(page, 'enterprise-risks')
  })
  await desk(async (page) => {
    await login(page, ctx.base, 'county_office')
    await page.waitForSelector('[data-test=chart-risks] canvas')
    await page.click('.el-menu-item:has-text("四个清单")')
    await page.waitForSelector('[data-test=lists-status]')
    const [dl] = await Promise.all([page.waitForEvent('download'), page.click('[data-test=export-lists]')])
    const file = path.join(tmp, 'four-lists.xlsx')
    await dl.saveAs(file)
    check(fs.readFileSync(file).subarray(0, 2).toString() === 'PK', 'the four lists are not an xlsx file')
    await page.click('[data-test=submit-lists]')
    await page.click('.el-message-box button:has-text("报送")')
    await page.waitForSelector('[data-test=submitted] >> text=第 1 版')
    await assertChineseOnly(page, 'four lists')
    await shot(page, 'four-lists')
  })
})

// --- running -------------------------------------------------------------------

// A unified social credit code with its GB 32100 check character.
function uscc(first17) {
  const A = '0123456789ABCDEFGHJKLMNPQRTUWXY'
  const W = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]
  let sum = 0
  for (let i = 0; i < 17; i++) sum += A.indexOf(first17[i]) * W[i]
  return first17 + A[(31 - (sum % 31)) % 31]
}

async function setup(base) {
  // an enterprise the county emergency bureau supervises, its user, and a
  // hazard of some other enterprise
  const reg = await apiAs(base, 'yjj_inspector')
  const ents = (await reg.get('/api/v1/enterprises?per_page=100')).items
  const admin = await apiAs(base, 'admin')
  const users = []
  for (let p = 1; p <= 5; p++) users.push(...(await admin.get(`/api/v1/users?per_page=100&page=${p}`)).items)
  const ent = ents.find((e) => users.some((u) => u.enterprise_id === e.id))
  check(ent, 'no supervised enterprise with a user in the demo')
  const entLogin = users.find((u) => u.enterprise_id === ent.id).login
  const office = await apiAs(base, 'county_office')
  const other = (await office.get('/api/v1/hazards?per_page=100')).items.find((h) => h.enterprise_id !== ent.id)
  return { entLogin, entId: ent.id, otherHazard: other.id, goodUscc: uscc('91210323MA0Y8N5X2') }
}

async function main() {
  check(fs.existsSync(path.join(ROOT, 'web', 'dist', 'index.html')), 'web/dist is not built (make web)')
  const { proc, base } = await startServer()
  const browser = await chromium.launch({
    executablePath: CHROMIUM, headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--no-first-run', '--disable-extensions'],
  })
  let passed = 0
  let failed = 0
  try {
    ctx = { base, browser, setup: await setup(base) }
    for (const t of tests) {
      if (ONLY && !t.name.includes(ONLY)) continue
      const t0 = Date.now()
      try {
        await t.fn()
        passed++
        console.log(`ok   ${t.name} (${((Date.now() - t0) / 1000).toFixed(1)}s)`)
      } catch (e) {
        failed++
        console.log(`FAIL ${t.name}\n     ${String(e.stack || e).split('\n').slice(0, 6).join('\n     ')}`)
      }
    }
  } finally {
    await browser.close()
    proc.kill('SIGTERM')
  }
  console.log(`screenshots: ${ART}`)
  console.log(`${passed} passed, ${failed} failed`)
  process.exit(failed ? 1 : 0)
}

main().catch((e) => {
  console.log(String(e.stack || e))
  console.log('0 passed, 1 failed')
  process.exit(1)
})
