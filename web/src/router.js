// router.js - the pages, who may open each, and the way back to login
// (and then back to the page) when the session is missing or expired.
import { createRouter, createWebHistory } from 'vue-router'
import { ElMessage } from 'element-plus'
import { loadSession, session, setExpiredHandler } from './api.js'
import { MENU, homeOf } from './labels.js'
import Layout from './views/Layout.vue'

const BUSINESS = ['office', 'regulator', 'enterprise', 'expert']
const WRITERS = ['office', 'regulator', 'enterprise']
const STAFF = ['office', 'regulator']

const routes = [
  { path: '/login', name: 'login', component: () => import('./views/Login.vue'), meta: { public: true, title: '登录' } },
  { path: '/tip', name: 'tip', component: () => import('./views/TipSubmit.vue'), meta: { public: true, title: '隐患举报' } },
  { path: '/tip/track', name: 'tip-track', component: () => import('./views/TipTrack.vue'), meta: { public: true, title: '举报进度查询' } },
  { path: '/password', name: 'password', component: () => import('./views/Password.vue'), meta: { title: '修改密码', anyPassword: true } },
  {
    path: '/',
    component: Layout,
    children: [
      { path: '', name: 'home', component: () => import('./views/Dashboard.vue'), meta: { roles: BUSINESS, title: '首页' } },
      { path: 'hazards', name: 'hazards', component: () => import('./views/Hazards.vue'), meta: { roles: BUSINESS, title: '隐患台账' } },
      { path: 'hazards/new', name: 'hazard-new', component: () => import('./views/HazardNew.vue'), meta: { roles: WRITERS, title: '登记隐患' } },
      { path: 'hazards/:id(\\d+)', name: 'hazard', component: () => import('./views/HazardDetail.vue'), meta: { roles: BUSINESS, title: '隐患详情' } },
      { path: 'enterprises', name: 'enterprises', component: () => import('./views/Enterprises.vue'), meta: { roles: ['office', 'regulator', 'expert'], title: '企业管理' } },
      { path: 'enterprises/new', name: 'enterprise-new', component: () => import('./views/EnterpriseForm.vue'), meta: { roles: STAFF, title: '新增企业' } },
      { path: 'enterprises/:id(\\d+)', name: 'enterprise', component: () => import('./views/EnterpriseDetail.vue'), meta: { roles: BUSINESS, title: '企业详情' } },
      { path: 'enterprises/:id(\\d+)/edit', name: 'enterprise-edit', component: () => import('./views/EnterpriseForm.vue'), meta: { roles: STAFF, title: '修改企业' } },
      { path: 'my-enterprise', name: 'my-enterprise', redirect: () => `/enterprises/${session.user ? session.user.enterprise_id : 0}`, meta: { roles: ['enterprise'] } },
      { path: 'compliance', name: 'compliance', component: () => import('./views/Compliance.vue'), meta: { roles: WRITERS, title: '主体责任落实' } },
      { path: 'campaigns', name: 'campaigns', component: () => import('./views/Campaigns.vue'), meta: { roles: ['office', 'regulator', 'expert'], title: '专项行动' } },
      { path: 'campaigns/:id(\\d+)', name: 'campaign', component: () => import('./views/CampaignDetail.vue'), meta: { roles: ['office', 'regulator', 'expert'], title: '专项行动任务清单' } },
      { path: 'lists', name: 'lists', component: () => import('./views/Lists.vue'), meta: { roles: STAFF, title: '四个清单' } },
      { path: 'tips', name: 'tips', component: () => import('./views/Tips.vue'), meta: { roles: STAFF, title: '举报处理' } },
      { path: 'dispatch', name: 'dispatch', component: () => import('./views/Dispatch.vue'), meta: { roles: STAFF, title: '月度调度表' } },
      { path: 'users', name: 'users', component: () => import('./views/Users.vue'), meta: { roles: ['sysadmin', 'secadmin'], title: '用户管理' } },
      { path: 'organisation', name: 'organisation', component: () => import('./views/Organisation.vue'), meta: { roles: ['sysadmin'], title: '区划与部门' } },
      { path: 'security', name: 'security', component: () => import('./views/Security.vue'), meta: { roles: ['secadmin'], title: '安全策略' } },
      { path: 'audit', name: 'audit', component: () => import('./views/Audit.vue'), meta: { roles: ['auditor'], title: '审计日志' } },
      { path: 'forbidden', name: 'forbidden', component: () => import('./views/Forbidden.vue'), meta: { title: '无权访问' } },
      { path: ':rest(.*)*', name: 'not-found', component: () => import('./views/NotFound.vue'), meta: { title: '页面不存在' } },
    ],
  },
]

const router = createRouter({ history: createWebHistory(), routes })

setExpiredHandler((message) => {
  const here = router.currentRoute.value
  if (here.meta.public || here.name === 'login') return
  ElMessage.warning(message)
  router.push({ name: 'login', query: { redirect: here.fullPath } })
})

router.beforeEach(async (to) => {
  if (!session.loaded) await loadSession()
  if (to.meta.public) return true
  if (!session.user) return { name: 'login', query: to.fullPath !== '/' ? { redirect: to.fullPath } : {} }
  if (session.user.must_change_password && !to.meta.anyPassword)
    return { name: 'password', query: { redirect: to.fullPath } }
  const roles = to.meta.roles
  if (roles && !roles.includes(session.user.role)) {
    if (to.name === 'home') return homeOf(session.user.role)
    return { name: 'forbidden' }
  }
  return true
})

router.afterEach((to) => {
  document.title = (to.meta.title ? to.meta.title + ' · ' : '') + '清零'
})

export { MENU }
export default router
