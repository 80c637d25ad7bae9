// paged.js - a page of a list API: its items, total and page, loaded with
// errors shown as a message.
import { ref } from 'vue'
import { ElMessage } from 'element-plus'

export function usePaged(fetchPage) {
  const items = ref([])
  const total = ref(0)
  const page = ref(1)
  const loading = ref(false)
  async function load(p = page.value) {
    page.value = p
    loading.value = true
    try {
      const r = await fetchPage(p)
      items.value = r.items
      total.value = r.total
    } catch (e) {
      ElMessage.error(e.message)
    } finally {
      loading.value = false
    }
  }
  return { items, total, page, loading, load }
}

// Clears a form's error messages (an object of field -> message).
export function clearErrors(errs) {
  for (const k of Object.keys(errs)) errs[k] = ''
}

// Puts the server's error at the field it names when the form has that
// field, else under `general`.
export function showError(errs, e, fields) {
  if (e.field && fields.includes(e.field)) errs[e.field] = e.message
  else errs.general = e.message
}
