// The operations API (/api/ops/v1) and the clocks endpoint, from Hawtio's page (same origin, same session).
const base = new URL('../../', document.baseURI) // Hawtio is at <hub>/actuator/hawtio/

function csrfToken() {
  const cookie = document.cookie.split('; ').find(c => c.startsWith('XSRF-TOKEN='))
  return cookie ? decodeURIComponent(cookie.substring('XSRF-TOKEN='.length)) : ''
}

async function answer(response) {
  const text = await response.text()
  let body
  try {
    body = text ? JSON.parse(text) : null
  } catch (notJson) {
    body = null
  }
  if (!response.ok) {
    const reason = body && body.reason ? body.reason : `HTTP ${response.status}`
    throw new Error(reason)
  }
  return body
}

export async function get(path) {
  return answer(await fetch(new URL(path, base), { credentials: 'same-origin', headers: { Accept: 'application/json' } }))
}

export async function post(path, body) {
  return answer(await fetch(new URL(path, base), {
    method: 'POST',
    credentials: 'same-origin',
    headers: { 'Content-Type': 'application/json', Accept: 'application/json', 'X-XSRF-TOKEN': csrfToken() },
    body: JSON.stringify(body),
  }))
}

export const ops = path => get('api/ops/v1/' + path)
export const opsPost = (path, body) => post('api/ops/v1/' + path, body)
export const clocks = () => get('actuator/clocks')
