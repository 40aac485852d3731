// What both pages share: a client of the Sessions HTTP contract, its error messages, and DOM helpers.
//
// Tokens live only in the variables of a Session object: never in localStorage, sessionStorage or a cookie, so they
// end with the tab and nothing else on the origin can read them back. The only thing kept in localStorage is this
// browser's device id, which is not a secret: it lets a new sign-in replace this browser's older session.
//
// Every piece of text that comes from a user or the server goes into the page through textContent (see el()),
// never innerHTML: device names are chosen by whoever signed in, so they are attacker-controlled.

const apiBase = new URL('..', document.baseURI); // pages are served under /ui/, the API at the root
const deviceIdKey = 'sessions.deviceId';

export class ApiError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

/** Thrown when the page's own session is over (signed out elsewhere, revoked, disabled): sign in again. */
export class SessionEnded extends ApiError {}

function storedDeviceId() {
  try {
    return localStorage.getItem(deviceIdKey);
  } catch {
    return null; // storage disabled: the server makes up a device id per sign-in instead
  }
}

function rememberDeviceId(deviceId) {
  try {
    localStorage.setItem(deviceIdKey, deviceId);
  } catch {
    // Same as above: nothing to remember it in.
  }
}

async function readBody(response) {
  const text = await response.text();
  if (!text) return null;
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

/** A sentence for a failed response: RFC 9457 detail or RFC 6749 error_description, framed by the status. */
export function describeFailure(response, body) {
  const said = (body && (body.detail || body.error_description)) || '';
  switch (response.status) {
    case 400:
      return said || 'The service refused the request as invalid.';
    case 401:
      return `You are not signed in any more. ${said}`.trim();
    case 403:
      return `Not allowed. ${said}`.trim();
    case 404:
      return said || 'Not found.';
    case 409:
      return said || 'That conflicts with the current state.';
    case 429: {
      const wait = Number.parseInt(response.headers.get('Retry-After') ?? '', 10);
      return Number.isFinite(wait)
        ? `Too many attempts from this address. Try again in ${wait} seconds.`
        : 'Too many attempts from this address. Try again in a minute.';
    }
    case 503:
      return `The service is unavailable right now and nothing was changed; try again shortly. ${said}`.trim();
    default:
      return `The service answered ${response.status}. ${said}`.trim();
  }
}

async function send(method, path, { token, form, json } = {}) {
  const headers = { Accept: 'application/json, application/problem+json' };
  let body;
  if (token) headers.Authorization = `Bearer ${token}`;
  if (form) {
    body = new URLSearchParams(form);
  } else if (json !== undefined) {
    headers['Content-Type'] = 'application/json';
    body = JSON.stringify(json);
  }
  try {
    // credentials 'omit': the API uses bearer tokens only, so nothing ambient should ride along.
    return await fetch(new URL(path, apiBase), { method, headers, body, credentials: 'omit', cache: 'no-store' });
  } catch {
    throw new ApiError(0, 'Could not reach the service. Check the connection and try again.');
  }
}

/** GETs a public document (no token), such as the JWKS. */
export async function getPublic(path) {
  const response = await send('GET', path);
  const body = await readBody(response);
  if (!response.ok) throw new ApiError(response.status, describeFailure(response, body));
  return body;
}

/** One signed-in person on this page, speaking the HTTP contract with tokens held in memory. */
export class Session {
  #accessToken = null;
  #refreshToken = null;
  #refreshing = null;

  username = null;
  sessionId = null;
  /** Called with a message when the session ends under the page (signed out elsewhere, revoked, disabled). */
  onEnded = () => {};

  get signedIn() {
    return this.#accessToken !== null;
  }

  async signIn(username, password, deviceName) {
    const form = { grant_type: 'password', username, password };
    const deviceId = storedDeviceId();
    if (deviceId) form.device_id = deviceId;
    if (deviceName) form.device_name = deviceName;
    const response = await send('POST', 'oauth/token', { form });
    const body = await readBody(response);
    if (!response.ok) throw new ApiError(response.status, describeFailure(response, body));
    this.#accept(body);
    this.username = username;
    rememberDeviceId(body.device_id);
  }

  /** Calls the API; a rejected access token is refreshed once, and a failed refresh means this session is over. */
  async call(method, path, json) {
    if (!this.signedIn) throw new SessionEnded(401, 'You are not signed in.');
    let response = await send(method, path, { token: this.#accessToken, json });
    if (response.status === 401) {
      await this.#refresh(await readBody(response));
      response = await send(method, path, { token: this.#accessToken, json });
    }
    const body = await readBody(response);
    if (response.status === 401) this.#end(describeFailure(response, body));
    if (!response.ok) throw new ApiError(response.status, describeFailure(response, body));
    return body;
  }

  forget() {
    this.#accessToken = null;
    this.#refreshToken = null;
    this.#refreshing = null;
    this.username = null;
    this.sessionId = null;
  }

  #end(message) {
    this.forget();
    this.onEnded(message);
    throw new SessionEnded(401, message);
  }

  #accept(tokens) {
    this.#accessToken = tokens.access_token;
    this.#refreshToken = tokens.refresh_token;
    this.sessionId = tokens.session_id;
  }

  // Concurrent calls that all met a 401 share one refresh, so one refresh token is spent once.
  async #refresh(rejection) {
    this.#refreshing ??= (async () => {
      const response = await send('POST', 'oauth/token', {
        form: { grant_type: 'refresh_token', refresh_token: this.#refreshToken },
      });
      const body = await readBody(response);
      if (response.status === 400) {
        const reason = (rejection && rejection.detail) || (body && body.error_description) || '';
        this.#end(`This device is signed out. ${reason || 'Its session has ended.'} Sign in again to continue.`);
      }
      if (!response.ok) throw new ApiError(response.status, describeFailure(response, body));
      this.#accept(body);
    })();
    try {
      await this.#refreshing;
    } finally {
      this.#refreshing = null;
    }
  }
}

/** Builds an element; strings become text nodes, so nothing passed here is ever parsed as HTML. */
export function el(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === null || value === false) continue;
    if (name === 'dataset') Object.assign(element.dataset, value);
    else if (name.startsWith('on')) element.addEventListener(name.slice(2), value);
    else element.setAttribute(name, value === true ? '' : String(value));
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    element.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return element;
}

export function formatTime(iso) {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? String(iso) : date.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}

/** The page's message line: role=alert for errors so screen readers announce them, role=status otherwise. */
export class Notice {
  constructor(element) {
    this.element = element;
  }

  info(text) {
    this.#show(text, 'status', 'notice notice-info');
  }

  error(text) {
    this.#show(text, 'alert', 'notice notice-error');
  }

  clear() {
    this.element.hidden = true;
    this.element.textContent = '';
  }

  #show(text, role, className) {
    this.element.textContent = text;
    this.element.setAttribute('role', role);
    this.element.className = className;
    this.element.hidden = false;
  }
}

/** Runs a button's action with the button disabled, reporting any failure on the notice line. */
export async function busy(button, notice, action) {
  if (button) button.disabled = true;
  try {
    await action();
  } catch (error) {
    notice.error(error instanceof Error ? error.message : String(error));
    if (!(error instanceof ApiError)) console.error(error);
  } finally {
    if (button) button.disabled = false;
  }
}
