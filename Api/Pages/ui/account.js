// "Your devices": sign in, see every live session of the account, end one, all others or all, change the password.
import { Notice, Session, busy, el, formatTime } from './common.js';

const session = new Session();
const notice = new Notice(document.getElementById('notice'));
const signedOutView = document.getElementById('signed-out');
const signedInView = document.getElementById('signed-in');
const who = document.getElementById('who');
const rows = document.querySelector('#sessions tbody');

session.onEnded = (message) => {
  showSignedOut();
  notice.error(message);
};

function showSignedOut() {
  signedInView.hidden = true;
  who.hidden = true;
  signedOutView.hidden = false;
  rows.replaceChildren();
}

function showSignedIn() {
  document.getElementById('who-name').textContent = session.username;
  signedOutView.hidden = true;
  who.hidden = false;
  signedInView.hidden = false;
}

function deviceLabel(s) {
  return s.deviceName ? s.deviceName : 'Unnamed device';
}

function renderSessions(sessions) {
  // The current one first, then the most recently seen.
  sessions.sort((a, b) => (b.current - a.current) || Date.parse(b.lastSeenAt) - Date.parse(a.lastSeenAt));
  rows.replaceChildren(...sessions.map((s) => el('tr', { dataset: { sessionId: s.sessionId }, class: s.current ? 'current' : null },
    el('td', {},
      el('div', { class: 'device-name' }, deviceLabel(s), s.current ? el('span', { class: 'badge' }, 'This device') : null),
      el('div', { class: 'device-id' }, s.deviceId)),
    el('td', {}, formatTime(s.createdAt)),
    el('td', {}, formatTime(s.lastSeenAt)),
    el('td', {}, formatTime(s.expiresAt < s.idleExpiresAt ? s.expiresAt : s.idleExpiresAt)),
    el('td', { class: 'row-actions' }, s.current ? null : el('button', {
      type: 'button',
      class: 'secondary',
      'aria-label': `Sign out ${deviceLabel(s)}`,
      onclick: (event) => busy(event.currentTarget, notice, () => endSession(s)),
    }, 'Sign out')))));
}

async function loadSessions() {
  renderSessions(await session.call('GET', 'me/sessions'));
}

async function endSession(s) {
  await session.call('DELETE', `me/sessions/${encodeURIComponent(s.sessionId)}`);
  notice.info(`Signed out ${deviceLabel(s)}.`);
  await loadSessions();
}

document.getElementById('sign-in').addEventListener('submit', (event) => {
  event.preventDefault();
  const form = event.currentTarget;
  const data = new FormData(form);
  busy(form.querySelector('button[type=submit]'), notice, async () => {
    notice.clear();
    await session.signIn(data.get('username').trim(), data.get('password'), data.get('deviceName').trim());
    form.reset();
    showSignedIn();
    await loadSessions();
  });
});

document.getElementById('reload').addEventListener('click', (event) =>
  busy(event.currentTarget, notice, async () => {
    notice.clear();
    await loadSessions();
  }));

document.getElementById('sign-out').addEventListener('click', (event) =>
  busy(event.currentTarget, notice, async () => {
    await session.call('POST', 'auth/logout?scope=local');
    session.forget();
    showSignedOut();
    notice.info('Signed out of this device.');
  }));

document.getElementById('sign-out-others').addEventListener('click', (event) =>
  busy(event.currentTarget, notice, async () => {
    await session.call('POST', 'auth/logout?scope=others');
    notice.info('Every other device is signed out.');
    await loadSessions();
  }));

document.getElementById('sign-out-everywhere').addEventListener('click', (event) => {
  if (!window.confirm('Sign out every device, this one included? Every token issued so far stops working.')) return;
  busy(event.currentTarget, notice, async () => {
    await session.call('POST', 'auth/logout?scope=global');
    session.forget();
    showSignedOut();
    notice.info('Signed out everywhere, this device included.');
  });
});

document.getElementById('change-password').addEventListener('submit', (event) => {
  event.preventDefault();
  const form = event.currentTarget;
  const data = new FormData(form);
  if (data.get('newPassword') !== data.get('confirmPassword')) {
    notice.error('The two new passwords differ.');
    return;
  }
  busy(form.querySelector('button[type=submit]'), notice, async () => {
    await session.call('POST', 'me/password', { currentPassword: data.get('currentPassword'), newPassword: data.get('newPassword') });
    form.reset();
    notice.info('Password changed. Every other device is signed out.');
    await loadSessions();
  });
});
