// actions.js - the form of each hazard transition (API.md "Transition
// actions and their fields"); `major` marks the five-in-place fields a major
// hazard must have.
export const ACTION_FORMS = {
  plan: {
    title: '制定整改方案',
    fields: [
      { key: 'responsible_person', label: '整改责任人', type: 'text', required: true, max: 64 },
      { key: 'measures', label: '整改措施', type: 'textarea', required: true, max: 2000 },
      { key: 'deadline', label: '整改期限', type: 'date', required: true },
      { key: 'funds', label: '整改资金（元）', type: 'money', major: true },
      { key: 'emergency_plan', label: '应急预案', type: 'textarea', major: true, max: 2000 },
      { key: 'interim_measures', label: '整改期间安全防范措施', type: 'textarea', major: true, max: 2000 },
      { key: 'note', label: '备注', type: 'textarea', max: 2000 },
    ],
  },
  submit: { title: '提交验收', fields: [{ key: 'note', label: '整改完成情况', type: 'textarea', max: 2000 }] },
  accept: {
    title: '验收通过',
    fields: [
      { key: 'acceptor', label: '验收人', type: 'text', required: true, max: 64 },
      { key: 'note', label: '验收意见', type: 'textarea', max: 2000 },
    ],
  },
  reject: { title: '退回整改', fields: [{ key: 'reason', label: '退回原因', type: 'textarea', required: true, max: 2000 }] },
  verify: { title: '审核核销', fields: [{ key: 'note', label: '核销意见', type: 'textarea', max: 2000 }] },
  extend: {
    title: '申请延期',
    fields: [
      { key: 'deadline', label: '新的整改期限', type: 'date', required: true },
      { key: 'reason', label: '延期理由', type: 'textarea', required: true, max: 2000 },
    ],
  },
  void: { title: '作废', fields: [{ key: 'reason', label: '作废原因', type: 'textarea', required: true, max: 2000 }] },
}

// The Element Plus rules of a form for a hazard of this level.
export function rulesOf(form, major) {
  const rules = {}
  for (const f of form.fields) {
    const list = []
    if (f.required || (f.major && major))
      list.push({ required: true, message: `请填写${f.label.replace(/（.*）/, '')}`, trigger: f.type === 'date' ? 'change' : 'blur' })
    if (f.max) list.push({ max: f.max, message: `${f.label}不能超过 ${f.max} 个字`, trigger: 'blur' })
    if (f.type === 'money')
      list.push({
        validator: (_r, v, cb) => (v === null || v === undefined || v === '' || (Number(v) >= 0 && /^\d+(\.\d{1,2})?$/.test(String(v))) ? cb() : cb(new Error('金额应为非负数，最多两位小数'))),
        trigger: 'blur',
      })
    if (list.length) rules[f.key] = list
  }
  return rules
}
