// labels.js - the words and colours of the interface for the API's codes.

export const STATUS = {
  open: { label: '待制定方案', type: 'danger' },
  rectifying: { label: '整改中', type: 'warning' },
  awaiting_acceptance: { label: '待验收', type: 'primary' },
  awaiting_verification: { label: '待核销', type: 'primary' },
  closed: { label: '已销号', type: 'success' },
  void: { label: '已作废', type: 'info' },
}

export const LEVELS = { general: '一般隐患', major: '重大隐患' }
export const CATEGORIES = { management: '管理类', site: '现场类' }
export const SOURCES = {
  self: '企业自查', inspection: '部门检查', supervision: '督导检查', tip: '群众举报',
  assigned: '上级交办', lookback: '回头看',
}

export const ROLES = {
  sysadmin: '系统管理员', secadmin: '安全管理员', auditor: '安全审计员', office: '安委办',
  regulator: '行业监管部门', enterprise: '企业', expert: '专家',
}

// The menu: each entry names the roles that see it.
export const MENU = [
  { path: '/', label: '首页', icon: 'HomeFilled', roles: ['office', 'regulator', 'enterprise', 'expert'] },
  { path: '/hazards', label: '隐患台账', icon: 'List', roles: ['office', 'regulator', 'enterprise', 'expert'] },
  { path: '/hazards/new', label: '登记隐患', icon: 'CirclePlus', roles: ['office', 'regulator', 'enterprise'] },
  { path: '/enterprises', label: '企业管理', icon: 'OfficeBuilding', roles: ['office', 'regulator', 'expert'] },
  { path: '/my-enterprise', label: '本企业信息', icon: 'OfficeBuilding', roles: ['enterprise'] },
  { path: '/compliance', label: '主体责任落实', icon: 'Checked', roles: ['office', 'regulator', 'enterprise'] },
  { path: '/campaigns', label: '专项行动', icon: 'Flag', roles: ['office', 'regulator', 'expert'] },
  { path: '/lists', label: '四个清单', icon: 'Files', roles: ['office', 'regulator'] },
  { path: '/tips', label: '举报处理', icon: 'ChatLineSquare', roles: ['office', 'regulator'] },
  { path: '/dispatch', label: '月度调度表', icon: 'Document', roles: ['office', 'regulator'] },
  { path: '/users', label: '用户管理', icon: 'User', roles: ['sysadmin', 'secadmin'] },
  { path: '/organisation', label: '区划与部门', icon: 'Location', roles: ['sysadmin'] },
  { path: '/security', label: '安全策略', icon: 'Lock', roles: ['secadmin'] },
  { path: '/audit', label: '审计日志', icon: 'Tickets', roles: ['auditor'] },
]

export function homeOf(role) {
  const first = MENU.find((m) => m.roles.includes(role))
  return first ? first.path : '/'
}

export function fmtTime(s) {
  if (!s) return ''
  const d = new Date(s)
  const p = (n) => String(n).padStart(2, '0')
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}`
}

export function fmtDate(s) {
  if (!s) return ''
  const [y, m, d] = s.split('-')
  return `${y}年${Number(m)}月${Number(d)}日`
}

export function fmtYuan(v) {
  if (v === null || v === undefined) return ''
  return Number(v).toLocaleString('zh-CN', { minimumFractionDigits: 2, maximumFractionDigits: 2 }) + ' 元'
}
