// The admin console: find a user, see and end their sessions, revoke everything, disable or enable the account,
// rotate and retire signing keys. Every action is one call of the admin HTTP contract.
import { Notice, Session, busy, el, formatTime, getPublic } from './common.js';

const session = new Session();
const notice = new Notice(document.getElementById('notice'));
const signedOutView = document.getElementById('signed-out');
const signedInView = document.getElementById('signed-in');
const who = document.getElementById('who');
const userView = document.getElementById('user');
const sessionRows = document.querySelector('#user-sessions tbody');
const keyRows = document.querySelector('#keys tbody');
const toggleDisabled = document.getElementById('toggle-disabled');

let user = null; // the user on screen: {userId, username, disabled, createdAt, roles}
let newestKid = null;

session.onEnded = (message) => {
  showSignedOut();
  notice.error(message);
};

function showSignedOut() {
  signedInView.hidden = true;
  who.hidden = true;
  signedOutView.hidden = false;
  user = null;
  userView.hidden = true;
  sessionRows.replaceChildren();
  keyRows.replaceChildren();
}

function showSignedIn() {
  document.getElementById('who-name').textContent = session.username;
  signedOutView.hidden = true;
  who.hidden = false;
  signedInView.hidden = false;
}

const userPath = () => `admin/users/${encodeURIComponent(user.userId)}`;
const deviceLabel = (s) => (s.deviceName ? s.deviceName : 'Unnamed device');

function renderUser() {
  document.getElementById('user-name').textContent = user.username;
  document.getElementById('user-id').textContent = user.userId;
  document.getElementById('user-created').textContent = formatTime(user.createdAt);
  document.getElementById('user-roles').textContent = user.roles.length ? user.roles.join(', ') : 'none';
  const status = document.getElementById('user-status');
  status.textContent = user.disabled ? 'Disabled' : 'Enabled';
  status.className = user.disabled ? 'status status-off' : 'status status-on';
  toggleDisabled.textContent = user.disabled ? 'Enable account' : 'Disable account';
  userView.hidden = false;
}

function renderSessions(sessions) {
  sessions.sort((a, b) => Date.parse(b.lastSeenAt) - Date.parse(a.lastSeenAt));
  document.getElementById('no-sessions').hidden = sessions.length > 0;
  sessionRows.replaceChildren(...sessions.map((s) => el('tr', { dataset: { sessionId: s.sessionId, deviceId: s.deviceId } },
    el('td', {}, el('div', { class: 'device-name' }, deviceLabel(s)), el('div', { class: 'device-id' }, s.deviceId)),
    el('td', {}, formatTime(s.createdAt)),
    el('td', {}, formatTime(s.lastSeenAt)),
    el('td', {}, formatTime(s.expiresAt < s.idleExpiresAt ? s.expiresAt : s.idleExpiresAt)),
    el('td', { class: 'row-actions' },
      el('button', {
        type: 'button',
        class: 'secondary',
        'aria-label': `End session on ${deviceLabel(s)}`,
        onclick: (event) => busy(event.currentTarget, notice, () => endSession(s)),
      }, 'End session'),
      el('button', {
        type: 'button',
        class: 'secondary',
        'aria-label': `Sign out device ${s.deviceId}`,
        onclick: (event) => busy(event.currentTarget, notice, () => revokeDevice(s)),
      }, 'Sign out device')))));
}

async function loadUser(username) {
  user = await session.call('GET', `admin/users?username=${encodeURIComponent(username)}`);
  renderUser();
  renderSessions(await session.call('GET', `${userPath()}/sessions`));
}

async function reloadUser() {
  user = await session.call('GET', userPath());
  renderUser();
  renderSessions(await session.call('GET', `${userPath()}/sessions`));
}

async function endSession(s) {
  await session.call('DELETE', `${userPath()}/sessions/${encodeURIComponent(s.sessionId)}`);
  notice.info(`Ended ${user.username}'s session on ${deviceLabel(s)}.`);
  await reloadUser();
}

async function revokeDevice(s) {
  await session.call('DELETE', `${userPath()}/devices/${encodeURIComponent(s.deviceId)}`);
  notice.info(`Signed ${user.username} out of device ${s.deviceId}.`);
  await reloadUser();
}

function renderKeys(jwks) {
  keyRows.replaceChildren(...jwks.keys.map((key) => el('tr', { dataset: { kid: key.kid } },
    el('td', { class: 'mono' }, key.kid, key.kid === newestKid ? el('span', { class: 'badge' }, 'New') : null),
    el('td', {}, key.alg),
    el('td', { class: 'row-actions' }, el('button', {
      type: 'button',
      class: 'danger',
      'aria-label': `Retire key ${key.kid}`,
      onclick: (event) => {
        if (!window.confirm(`Retire key ${key.kid}? Every token it signed is rejected at once, on every host.`)) return;
        busy(event.currentTarget, notice, () => retireKey(key.kid));
      },
    }, 'Retire')))));
}

async function loadKeys() {
  renderKeys(await getPublic('.well-known/jwks.json'));
}

async function retireKey(kid) {
  await session.call('DELETE', `admin/signing-keys/${encodeURIComponent(kid)}`);
  notice.info(`Retired key ${kid}.`);
  await loadKeys();
}

document.getElementById('sign-in').addEventListener('submit', (event) => {
  event.preventDefault();
  const form = event.currentTarget;
  const data = new FormData(form);
  busy(form.querySelector('button[type=submit]'), notice, async () => {
    notice.clear();
    await session.signIn(data.get('username').trim(), data.get('password'), 'Admin console');
    const me = await session.call('GET', 'me');
    if (!me.roles.includes('admin')) {
      // Leave no session behind for an account that cannot use this page.
      await session.call('POST', 'auth/logout?scope=local');
      session.forget();
      notice.error(`${me.username} is not an administrator; this console needs an account with the admin role.`);
      return;
    }
    form.reset();
    showSignedIn();
    await loadKeys();
  });
});

document.getElementById('sign-out').addEventListener('click', (event) =>
  busy(event.currentTarget, notice, async () => {
    await session.call('POST', 'auth/logout?scope=local');
    session.forget();
    showSignedOut();
    notice.info('Signed out of the admin console.');
  }));

document.getElementById('find-user').addEventListener('submit', (event) => {
  event.preventDefault();
  const data = new FormData(event.currentTarget);
  busy(event.currentTarget.querySelector('button[type=submit]'), notice, async () => {
    notice.clear();
    user = null;
    userView.hidden = true;
    await loadUser(data.get('username').trim());
  });
});

toggleDisabled.addEventListener('click', (event) => {
  const disabling = !user.disabled;
  if (disabling && !window.confirm(`Disable ${user.username}? Every session ends and sign-ins fail until enabled.`)) return;
  busy(event.currentTarget, notice, async () => {
    await session.call('POST', `${userPath()}/${disabling ? 'disable' : 'enable'}`);
    notice.info(`${user.username} is ${disabling ? 'disabled' : 'enabled'}.`);
    await reloadUser();
  });
});

document.getElementById('revoke-all').addEventListener('click', (event) => {
  if (!window.confirm(`Revoke everything ${user.username} holds? Every session ends and every token issued so far is rejected.`)) return;
  busy(event.currentTarget, notice, async () => {
    await session.call('POST', `${userPath()}/revoke`);
    notice.info(`Revoked every session and token of ${user.username}.`);
    await reloadUser();
  });
});

document.getElementById('rotate').addEventListener('click', (event) =>
  busy(event.currentTarget, notice, async () => {
    const rotated = await session.call('POST', 'admin/signing-keys/rotate');
    newestKid = rotated.kid;
    notice.info(`New tokens are now signed with key ${rotated.kid}.`);
    await loadKeys();
  }));
