// api.js - the JSON API as the pages use it: the session cookie, the CSRF
// token on every change, and errors as ApiError {status, code, message, field}.
import { reactive } from 'vue'

export const session = reactive({ user: null, csrf: null, loaded: false, notice: '' })

export class ApiError extends Error {
  constructor(status, body) {
    const e = (body && body.error) || {}
    super(e.message || `请求失败（${status}）`)
    this.status = status
    this.code = e.code || ''
    this.field = e.field || ''
  }
}

// Called when the server says the session is gone (set by the router).
let onExpired = () => {}
export function setExpiredHandler(fn) { onExpired = fn }

export async function request(method, path, body, { raw = false, form = null, file = null, type = '' } = {}) {
  const headers = { Accept: 'application/json' }
  if (method !== 'GET' && session.csrf) headers['X-CSRF-Token'] = session.csrf
  let payload
  if (form) payload = form
  else if (file) {
    headers['Content-Type'] = type
    payload = file
  }
  else if (body !== undefined) {
    headers['Content-Type'] = 'application/json'
    payload = JSON.stringify(body)
  }
  let res
  try {
    res = await fetch(path, { method, headers, body: payload, credentials: 'same-origin' })
  } catch {
    throw new ApiError(0, { error: { message: '无法连接服务器，请检查网络后重试' } })
  }
  if (raw && res.ok) return res
  const text = await res.text()
  let data = null
  try { data = text ? JSON.parse(text) : null } catch { data = null }
  if (res.status === 401 && !path.startsWith('/api/v1/session')) {
    const code = data && data.error && data.error.code
    session.user = null
    onExpired(code === 'session_expired' ? '登录已过期，请重新登录' : '请先登录')
  }
  if (!res.ok) throw new ApiError(res.status, data)
  return data
}

export const api = {
  get: (p) => request('GET', p),
  post: (p, b) => request('POST', p, b === undefined ? {} : b),
  put: (p, b) => request('PUT', p, b),
  patch: (p, b) => request('PATCH', p, b),
  del: (p) => request('DELETE', p),
  upload: (p, form) => request('POST', p, undefined, { form }),
  // a file as the whole body, e.g. a schedule table
  postFile: (p, file, type) => request('POST', p, undefined, { file, type }),
}

// A query string from an object, leaving out empty values.
export function qs(params) {
  const u = new URLSearchParams()
  for (const [k, v] of Object.entries(params)) {
    if (v === undefined || v === null || v === '') continue
    u.set(k, String(v))
  }
  const s = u.toString()
  return s ? '?' + s : ''
}

export async function loadSession() {
  try {
    const s = await request('GET', '/api/v1/session')
    session.user = s.user
    session.csrf = s.csrf_token
  } catch {
    session.user = null
  }
  session.loaded = true
}

export async function login(loginName, password) {
  const s = await request('POST', '/api/v1/session', { login: loginName, password })
  session.user = s.user
  session.csrf = s.csrf_token
  return s.user
}

export async function logout() {
  try { await request('DELETE', '/api/v1/session') } catch { /* gone already */ }
  session.user = null
  session.csrf = null
}

// Downloads an export the way a browser link would, with the cookie.
export async function download(path, fallbackName) {
  const res = await request('GET', path, undefined, { raw: true })
  const blob = await res.blob()
  const cd = res.headers.get('Content-Disposition') || ''
  const m = /filename\*?=(?:UTF-8'')?"?([^";]+)"?/i.exec(cd)
  const name = m ? decodeURIComponent(m[1]) : fallbackName
  const a = document.createElement('a')
  a.href = URL.createObjectURL(blob)
  a.download = name
  document.body.appendChild(a)
  a.click()
  setTimeout(() => { URL.revokeObjectURL(a.href); a.remove() }, 1000)
}
