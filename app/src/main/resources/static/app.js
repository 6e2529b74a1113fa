// Cloud Conversion Tool: the web page. Plain JavaScript, no build step, no dependencies.
// The API is the one in README.md; this file only talks to it through fetch() and XMLHttpRequest.
'use strict';

(() => {
  const TOKEN_KEY = 'cct.token';
  const USER_KEY = 'cct.username';
  const EXPIRES_KEY = 'cct.expires';
  const FINAL = new Set(['processed', 'failed', 'cancelled']);
  // Browsers open at most 6 HTTP/1.1 connections per host: keep some free for uploads and clicks.
  const MAX_STREAMS = 3;
  const POLL_MS = 4000;
  const MAX_BACKOFF_MS = 15000;

  const STATUS_LABELS = {
    uploaded: 'Queued',
    processing: 'Converting',
    processed: 'Done',
    failed: 'Failed',
    cancelled: 'Cancelled',
  };
  const KIND_LABELS = { video: 'Video', audio: 'Audio', image: 'Image', archive: 'Archive' };
  const QUALITY_LABELS = { high: 'High', medium: 'Medium', low: 'Low (smallest file)' };
  const FALLBACK_TITLES = {
    0: 'No connection',
    400: 'Invalid request',
    401: 'Not signed in',
    404: 'Not found',
    409: 'Not possible right now',
    413: 'Upload too large',
    415: 'Unsupported file',
    429: 'Too many requests',
    500: 'Server error',
    502: 'Service unavailable',
    503: 'Service unavailable',
    504: 'Service unavailable',
  };

  const $ = (id) => document.getElementById(id);
  const el = {
    session: $('session'),
    sessionName: $('session-name'),
    logout: $('logout'),
    announcer: $('announcer'),
    authView: $('auth-view'),
    appView: $('app-view'),
    loginForm: $('login-form'),
    loginMessage: $('login-message'),
    loginUsername: $('login-username'),
    loginPassword: $('login-password'),
    loginSubmit: $('login-submit'),
    signupForm: $('signup-form'),
    signupMessage: $('signup-message'),
    signupSubmit: $('signup-submit'),
    uploadForm: $('upload-form'),
    dropzone: $('dropzone'),
    fileInput: $('file-input'),
    fileSummary: $('file-summary'),
    formatSelect: $('format-select'),
    qualitySelect: $('quality-select'),
    notifyInput: $('notify-input'),
    uploadSubmit: $('upload-submit'),
    uploadProgress: $('upload-progress'),
    uploadBar: $('upload-bar'),
    uploadLabel: $('upload-progress-label'),
    uploadAbort: $('upload-abort'),
    uploadMessage: $('upload-message'),
    usage: $('usage'),
    keysPanel: $('keys-panel'),
    keyForm: $('key-form'),
    keyName: $('key-name'),
    keySubmit: $('key-submit'),
    keyMessage: $('key-message'),
    keysEmpty: $('keys-empty'),
    keyList: $('key-list'),
    convertHeading: $('convert-heading'),
    refresh: $('refresh'),
    tasksMessage: $('tasks-message'),
    tasksEmpty: $('tasks-empty'),
    taskList: $('task-list'),
    taskTemplate: $('task-template'),
  };

  const state = {
    token: sessionStorage.getItem(TOKEN_KEY),
    username: sessionStorage.getItem(USER_KEY),
    expiryTimer: null,
    formats: null,
    kindOf: new Map(), // format id -> kind
    extensions: [], // [extension, format id], ids and aliases
    file: null,
    idempotencyKey: null,
    xhr: null,
    tasks: new Map(), // id -> task JSON
    streams: new Map(), // id -> { abort() }: open streams and scheduled reconnects
    waiting: new Set(), // unfinished tasks without a stream slot: polled instead
    pollTimer: null,
    accountTimer: null,
    listLoaded: false,
  };

  // ---------------------------------------------------------------- API

  class ApiError extends Error {
    constructor(status, problem) {
      super(problem.detail || problem.title);
      this.status = status;
      this.problem = problem;
    }
  }

  function authHeaders(extra) {
    const headers = { Accept: 'application/json, application/problem+json', ...extra };
    if (state.token) headers.Authorization = 'Bearer ' + state.token;
    return headers;
  }

  /** The problem+json body, or a readable stand-in when the body is not one (a proxy's HTML page, nothing). */
  function toProblem(status, text) {
    if (text) {
      try {
        const body = JSON.parse(text);
        if (body && typeof body === 'object' && (body.title || body.detail)) return body;
      } catch (ignored) {
        // not JSON: fall through
      }
    }
    return {
      status,
      title: FALLBACK_TITLES[status] || 'Unexpected answer (' + status + ')',
      detail: status === 0
        ? 'The server could not be reached. Check your connection and try again.'
        : status === 413 ? 'The file is larger than this service accepts.'
          : status >= 500 ? 'The service is having trouble. Please try again in a moment.' : '',
    };
  }

  async function api(path, options = {}) {
    const headers = authHeaders(options.headers);
    let body;
    if (options.json !== undefined) {
      headers['Content-Type'] = 'application/json';
      body = JSON.stringify(options.json);
    }
    let response;
    try {
      response = await fetch(path, { method: options.method || 'GET', headers, body, cache: 'no-store' });
    } catch (error) {
      throw new ApiError(0, toProblem(0));
    }
    const text = await response.text();
    if (response.ok) {
      return text ? JSON.parse(text) : null;
    }
    if (response.status === 401 && state.token) sessionEnded();
    throw new ApiError(response.status, toProblem(response.status, text));
  }

  // ---------------------------------------------------------------- messages

  function announce(text) {
    // Clearing first makes a repeated message be read again.
    el.announcer.textContent = '';
    window.setTimeout(() => { el.announcer.textContent = text; }, 60);
  }

  function hideMessage(box) {
    box.hidden = true;
    box.replaceChildren();
    box.removeAttribute('role');
  }

  /** Shows a problem (or plain text) in a message box; errors are announced assertively. */
  function showMessage(box, kind, content, extraLines) {
    box.className = 'message message-' + kind;
    box.setAttribute('role', kind === 'error' ? 'alert' : 'status');
    const paragraph = document.createElement('p');
    if (typeof content === 'string') {
      paragraph.textContent = content;
    } else {
      const title = document.createElement('strong');
      title.textContent = content.title || 'Something went wrong';
      paragraph.append(title);
      if (content.detail && content.detail !== content.title) paragraph.append(' ' + content.detail);
    }
    box.replaceChildren(paragraph);
    const lines = extraLines || [];
    if (lines.length) {
      const list = document.createElement('ul');
      for (const line of lines) {
        const item = document.createElement('li');
        item.textContent = line;
        list.append(item);
      }
      box.append(list);
    }
    box.hidden = false;
  }

  function showError(box, error) {
    if (error instanceof ApiError) {
      const lines = [];
      const errors = error.problem.errors;
      if (errors && typeof errors === 'object') {
        for (const [field, messages] of Object.entries(errors)) {
          for (const message of [].concat(messages)) lines.push(humanField(field) + message);
        }
      }
      showMessage(box, 'error', error.problem, lines);
    } else {
      showMessage(box, 'error', { title: 'Something went wrong', detail: String(error && error.message || error) });
      console.error(error);
    }
  }

  function humanField(field) {
    const names = { username: 'Username', email: 'Email', password1: 'Password', password2: 'Repeated password', password: 'Password' };
    return names[field] ? names[field] + ': ' : '';
  }

  // ---------------------------------------------------------------- session

  function setBusy(button, busy, busyText) {
    if (busy) {
      button.dataset.label = button.textContent;
      button.textContent = busyText;
      button.disabled = true;
    } else {
      if (button.dataset.label) button.textContent = button.dataset.label;
      button.disabled = false;
    }
  }

  function storeSession(token, username, expiresIn) {
    state.token = token;
    state.username = username;
    sessionStorage.setItem(TOKEN_KEY, token);
    sessionStorage.setItem(USER_KEY, username);
    if (expiresIn) sessionStorage.setItem(EXPIRES_KEY, String(Date.now() + expiresIn * 1000));
    scheduleExpiry();
  }

  function scheduleExpiry() {
    window.clearTimeout(state.expiryTimer);
    const expires = Number(sessionStorage.getItem(EXPIRES_KEY));
    if (!expires) return;
    const left = expires - Date.now();
    if (left <= 0) {
      sessionEnded();
    } else if (left < 2 ** 31 - 1) {
      state.expiryTimer = window.setTimeout(sessionEnded, left);
    }
  }

  function clearSession() {
    window.clearTimeout(state.expiryTimer);
    state.token = null;
    state.username = null;
    sessionStorage.removeItem(TOKEN_KEY);
    sessionStorage.removeItem(USER_KEY);
    sessionStorage.removeItem(EXPIRES_KEY);
    stopAllWatching();
    if (state.xhr) state.xhr.abort();
    state.tasks.clear();
    state.listLoaded = false;
    el.taskList.replaceChildren();
    // the next account must not see this one's keys (or a key shown once)
    el.keyList.replaceChildren();
    hideMessage(el.keyMessage);
    el.keysPanel.open = false;
    resetUploadForm();
    hideMessage(el.uploadMessage);
    hideMessage(el.tasksMessage);
  }

  function sessionEnded() {
    if (!state.token) return;
    const name = state.username;
    clearSession();
    showAuth();
    el.loginUsername.value = name || '';
    showMessage(el.loginMessage, 'info', 'Your session has ended. Please log in again.');
    el.loginPassword.focus();
  }

  function showAuth() {
    el.usage.hidden = true;
    el.appView.hidden = true;
    el.session.hidden = true;
    el.authView.hidden = false;
  }

  function showApp() {
    el.authView.hidden = true;
    el.appView.hidden = false;
    el.session.hidden = false;
    el.sessionName.textContent = state.username || '';
    hideMessage(el.loginMessage);
    populateFormats();
    loadTasks();
  }

  async function onLogin(event) {
    event.preventDefault();
    hideMessage(el.loginMessage);
    const username = el.loginUsername.value.trim();
    const password = el.loginPassword.value;
    if (!username || !password) {
      showMessage(el.loginMessage, 'error', { title: 'Missing details', detail: 'Enter your username and password.' });
      (username ? el.loginPassword : el.loginUsername).focus();
      return;
    }
    setBusy(el.loginSubmit, true, 'Logging in…');
    try {
      const token = await api('/api/auth/login', { method: 'POST', json: { username, password } });
      storeSession(token.token, username, token.expiresIn);
      el.loginForm.reset();
      showApp();
      announce('Logged in as ' + username + '.');
      el.convertHeading.focus();
    } catch (error) {
      showError(el.loginMessage, error);
      el.loginPassword.select();
    } finally {
      setBusy(el.loginSubmit, false);
    }
  }

  const SIGNUP_FIELDS = ['username', 'email', 'password1', 'password2'];

  /** The form field an API field error belongs to ({@code passwordsMatch} goes under the repeated password). */
  function signupFieldFor(key) {
    if (SIGNUP_FIELDS.includes(key)) return key;
    if (/match|differ/i.test(key)) return 'password2';
    if (/password/i.test(key)) return 'password1';
    return null;
  }

  function clearSignupErrors() {
    for (const field of SIGNUP_FIELDS) {
      const box = $('signup-' + field + '-error');
      box.hidden = true;
      box.textContent = '';
      $('signup-' + field).removeAttribute('aria-invalid');
    }
  }

  function setSignupError(field, message) {
    const box = $('signup-' + field + '-error');
    box.textContent = box.textContent ? box.textContent + ' ' + capitalise(message) + '.' : capitalise(message) + '.';
    box.hidden = false;
    $('signup-' + field).setAttribute('aria-invalid', 'true');
  }

  async function onSignup(event) {
    event.preventDefault();
    hideMessage(el.signupMessage);
    clearSignupErrors();
    const values = {};
    for (const field of SIGNUP_FIELDS) {
      const input = $('signup-' + field);
      values[field] = field.startsWith('password') ? input.value : input.value.trim();
    }
    const missing = SIGNUP_FIELDS.filter((field) => !values[field]);
    if (missing.length) {
      missing.forEach((field) => setSignupError(field, 'this field is required'));
      showMessage(el.signupMessage, 'error', { title: 'Missing details', detail: 'Fill in every field.' });
      $('signup-' + missing[0]).focus();
      return;
    }
    if (values.password1 !== values.password2) {
      setSignupError('password2', 'the passwords differ');
      showMessage(el.signupMessage, 'error', { title: 'Passwords differ', detail: 'Type the same password twice.' });
      $('signup-password2').focus();
      return;
    }
    setBusy(el.signupSubmit, true, 'Creating account…');
    try {
      const account = await api('/api/auth/signup', { method: 'POST', json: values });
      el.signupForm.reset();
      showMessage(el.signupMessage, 'ok', 'Account “' + account.username + '” created. You can log in now.');
      el.loginUsername.value = account.username;
      announce('Account created. You can log in now.');
      el.loginPassword.focus();
    } catch (error) {
      const leftOver = [];
      const errors = error instanceof ApiError && error.problem.errors;
      if (errors && typeof errors === 'object') {
        for (const [key, messages] of Object.entries(errors)) {
          const field = signupFieldFor(key);
          for (const message of [].concat(messages)) {
            if (field) setSignupError(field, message);
            else leftOver.push(message);
          }
        }
        showMessage(el.signupMessage, 'error', error.problem, leftOver);
        const first = SIGNUP_FIELDS.find((field) => !$('signup-' + field + '-error').hidden);
        if (first) $('signup-' + first).focus();
      } else {
        showError(el.signupMessage, error);
      }
    } finally {
      setBusy(el.signupSubmit, false);
    }
  }

  function onLogout() {
    clearSession();
    showAuth();
    announce('Logged out.');
    el.loginUsername.focus();
  }

  // ---------------------------------------------------------------- formats

  async function loadFormats() {
    try {
      state.formats = await api('/api/formats');
    } catch (error) {
      showError(el.uploadMessage, error);
      return;
    }
    const { kinds, aliases } = state.formats;
    for (const [kind, ids] of Object.entries(kinds)) {
      for (const id of ids) {
        state.kindOf.set(id, kind);
        state.extensions.push([id, id]);
      }
    }
    for (const [alias, id] of Object.entries(aliases || {})) state.extensions.push([alias, id]);
    populateFormats();
  }

  /** The format a file name claims: the longest known extension wins (a.tar.gz is tar.gz, not gz). */
  function claimedFormat(fileName) {
    const lower = fileName.toLowerCase();
    let best = null;
    let bestLength = 0;
    for (const [extension, id] of state.extensions) {
      if (lower.endsWith('.' + extension) && extension.length > bestLength) {
        best = id;
        bestLength = extension.length;
      }
    }
    return best;
  }

  function targetsFor(source) {
    const formats = state.formats;
    if (!source) return formats.anyFile || [];
    return formats.conversions[source] || formats.anyFile || [];
  }

  function formatLabel(id) {
    return id.toUpperCase();
  }

  /** Fills the target list with what the chosen file can become, grouped by kind. */
  function populateFormats() {
    const select = el.formatSelect;
    const previous = select.value;
    if (!state.formats || !state.file) {
      select.replaceChildren(new Option(state.formats ? 'Choose a file first' : 'Loading formats…', ''));
      select.disabled = true;
      updateQuality();
      return;
    }
    const source = claimedFormat(state.file.name);
    const targets = targetsFor(source);
    select.replaceChildren(new Option('Choose a format', ''));
    for (const kind of Object.keys(state.formats.kinds)) {
      const ids = targets.filter((id) => state.kindOf.get(id) === kind);
      if (!ids.length) continue;
      const group = document.createElement('optgroup');
      group.label = KIND_LABELS[kind] || capitalise(kind);
      for (const id of ids) {
        const label = id === source ? formatLabel(id) + ' (same format, to compress)' : formatLabel(id);
        group.append(new Option(label, id));
      }
      select.append(group);
    }
    select.disabled = false;
    if (targets.includes(previous)) select.value = previous;
    updateQuality();
  }

  function updateQuality() {
    const select = el.qualitySelect;
    const target = el.formatSelect.value;
    const kind = state.kindOf.get(target);
    const applies = Boolean(target) && kind !== 'archive';
    if (select.options.length <= 1 && state.formats) {
      for (const quality of state.formats.qualities || []) {
        select.append(new Option(QUALITY_LABELS[quality] || capitalise(quality), quality));
      }
    }
    if (!applies) select.value = '';
    select.disabled = !applies;
    el.uploadSubmit.disabled = !(state.file && target) || Boolean(state.xhr);
  }

  // ---------------------------------------------------------------- upload

  /** A new key whenever what would be sent changes; a retried click with the same choice reuses it. */
  function newIdempotencyKey() {
    const bytes = new Uint8Array(16);
    crypto.getRandomValues(bytes);
    state.idempotencyKey = Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
  }

  function describeFile(file) {
    const source = claimedFormat(file.name);
    const kind = source && state.kindOf.get(source);
    const what = source ? formatLabel(source) + ' ' + (kind === 'archive' ? 'archive' : kind || 'file')
      : 'unknown type: it can be packed into an archive';
    return file.name + ' · ' + formatBytes(file.size) + ' · ' + what;
  }

  function chooseFile(file) {
    state.file = file || null;
    hideMessage(el.uploadMessage);
    if (state.file) {
      el.fileSummary.textContent = describeFile(state.file);
      el.dropzone.classList.add('has-file');
    } else {
      el.fileSummary.textContent = 'Video, audio, image, archive, or any file to pack.';
      el.dropzone.classList.remove('has-file');
    }
    newIdempotencyKey();
    populateFormats();
  }

  function resetUploadForm() {
    el.fileInput.value = '';
    chooseFile(null);
    el.qualitySelect.value = '';
    updateQuality();
  }

  function setUploadProgress(percent, label) {
    el.uploadProgress.hidden = false;
    el.uploadBar.setAttribute('aria-valuenow', String(percent));
    el.uploadBar.firstElementChild.style.width = percent + '%';
    el.uploadLabel.textContent = label;
  }

  function uploaded(task, fileName, replayed) {
    resetUploadForm();
    upsertTask(task, { prepend: true });
    scheduleAccount();
    watch(task);
    const text = replayed
      ? fileName + ' was already uploaded: showing that conversion.'
      : fileName + ' uploaded: its conversion to ' + formatLabel(task.newFormat) + ' is in the list.';
    showMessage(el.uploadMessage, 'ok', text);
    announce(text);
  }

  function endUpload() {
    state.xhr = null;
    el.uploadProgress.hidden = true;
    el.uploadSubmit.textContent = 'Convert';
    updateQuality();
  }

  // Files above TUS_THRESHOLD go by tus 1.0 (/api/uploads, README): TUS_CHUNK per PATCH, and after a
  // network error the upload asks HEAD for the offset the server has and goes on from there, waiting
  // longer after each failure in a row. The upload's id is the id of its task.
  const TUS_THRESHOLD = 8 * 1024 * 1024;
  const TUS_CHUNK = 4 * 1024 * 1024;
  const TUS_RETRY_DELAYS = [500, 1000, 2000, 4000, 8000, 15000, 30000, 30000, 30000, 30000];

  function base64(text) {
    return btoa(Array.from(new TextEncoder().encode(text), (b) => String.fromCharCode(b)).join(''));
  }

  async function resumableUpload(file, target, quality, notify) {
    let current = null;
    let stopped = false;
    state.xhr = { abort() { stopped = true; if (current) current.abort(); } };
    const aborted = new Error('aborted');
    const lost = new Error('network');
    const send = (method, url, headers, body, onProgress) => new Promise((resolve, reject) => {
      const xhr = new XMLHttpRequest();
      current = xhr;
      xhr.open(method, url);
      xhr.setRequestHeader('Authorization', 'Bearer ' + state.token);
      xhr.setRequestHeader('Tus-Resumable', '1.0.0');
      Object.entries(headers).forEach(([name, value]) => xhr.setRequestHeader(name, value));
      if (onProgress) xhr.upload.addEventListener('progress', (progress) => onProgress(progress.loaded));
      xhr.addEventListener('load', () => resolve(xhr));
      xhr.addEventListener('error', () => reject(lost));
      xhr.addEventListener('abort', () => reject(aborted));
      xhr.send(body || null);
    });
    const refused = (xhr) => new ApiError(xhr.status, toProblem(xhr.status, xhr.responseText));
    const show = (done) => {
      const percent = Math.min(100, Math.floor((done / file.size) * 100));
      setUploadProgress(percent, 'Uploading… ' + percent + '%');
    };
    el.uploadSubmit.disabled = true;
    el.uploadSubmit.textContent = 'Uploading…';
    setUploadProgress(0, 'Uploading… 0%');
    let url = null;
    try {
      const metadata = [['filename', file.name], ['newFormat', target], ['notify', notify ? 'true' : 'false']];
      if (quality) metadata.push(['quality', quality]);
      const created = await send('POST', '/api/uploads', {
        'Upload-Length': String(file.size),
        'Upload-Metadata': metadata.map(([key, value]) => key + ' ' + base64(value)).join(','),
      });
      if (created.status !== 201) throw refused(created);
      url = created.getResponseHeader('Location');
      let offset = 0;
      let failures = 0;
      while (offset < file.size) {
        try {
          const start = offset;
          const patched = await send('PATCH', url, {
            'Content-Type': 'application/offset+octet-stream',
            'Upload-Offset': String(start),
          }, file.slice(start, Math.min(file.size, start + TUS_CHUNK)), (loaded) => show(start + loaded));
          if (patched.status === 204) {
            offset = Number(patched.getResponseHeader('Upload-Offset'));
            failures = 0;
            show(offset);
            continue;
          }
          // 409: the server has another offset; 423: a cut PATCH still holds the upload; 5xx: try again
          if (patched.status !== 409 && patched.status !== 423 && patched.status < 500) throw refused(patched);
        } catch (error) {
          if (error !== lost) throw error;
        }
        if (failures >= TUS_RETRY_DELAYS.length) throw lost;
        const wait = TUS_RETRY_DELAYS[failures++];
        setUploadProgress(Math.floor((offset / file.size) * 100), 'Connection lost: resuming in ' + Math.ceil(wait / 1000) + ' s…');
        await new Promise((resolve) => setTimeout(resolve, wait));
        if (stopped) throw aborted;
        try {
          const head = await send('HEAD', url, {});
          if (head.status === 200) offset = Number(head.getResponseHeader('Upload-Offset'));
          else if (head.status !== 423 && head.status < 500) throw refused(head);
        } catch (error) {
          if (error !== lost) throw error;
        }
      }
      setUploadProgress(100, 'Checking the file…');
      const task = await api('/api/tasks/' + url.substring(url.lastIndexOf('/') + 1));
      endUpload();
      uploaded(task, file.name, false);
    } catch (error) {
      endUpload();
      if (error === aborted) {
        // tus termination: the bytes sent so far are deleted at once, not when they expire
        if (url) send('DELETE', url, {}).catch(() => {});
        showMessage(el.uploadMessage, 'info', 'Upload stopped.');
      } else if (error === lost) {
        showMessage(el.uploadMessage, 'error', {
          title: 'Upload interrupted',
          detail: 'The connection stayed down. Try again later.',
        });
      } else if (error instanceof ApiError && error.status === 401) {
        sessionEnded();
      } else {
        showError(el.uploadMessage, error);
      }
    }
  }

  function onUpload(event) {
    event.preventDefault();
    hideMessage(el.uploadMessage);
    const target = el.formatSelect.value;
    if (!state.file || !target || state.xhr) {
      if (!state.file) showMessage(el.uploadMessage, 'error', { title: 'No file', detail: 'Choose a file first.' });
      else if (!target) showMessage(el.uploadMessage, 'error', { title: 'No format', detail: 'Choose the format to convert to.' });
      return;
    }
    if (state.file.size > TUS_THRESHOLD) {
      const quality = el.qualitySelect.value && !el.qualitySelect.disabled ? el.qualitySelect.value : null;
      resumableUpload(state.file, target, quality, el.notifyInput.checked);
      return;
    }
    // Fields first, the file last: the server checks the file's first bytes against them before it
    // stores the rest, so a wrong file is refused at once instead of after the whole upload.
    const form = new FormData();
    form.append('newFormat', target);
    if (el.qualitySelect.value && !el.qualitySelect.disabled) form.append('quality', el.qualitySelect.value);
    form.append('notify', el.notifyInput.checked ? 'true' : 'false');
    form.append('fileName', state.file, state.file.name);

    const xhr = new XMLHttpRequest();
    state.xhr = xhr;
    const fileName = state.file.name;
    xhr.open('POST', '/api/tasks');
    xhr.setRequestHeader('Accept', 'application/json, application/problem+json');
    xhr.setRequestHeader('Authorization', 'Bearer ' + state.token);
    xhr.setRequestHeader('Idempotency-Key', state.idempotencyKey);
    xhr.upload.addEventListener('progress', (progress) => {
      if (!progress.lengthComputable) return;
      const percent = Math.floor((progress.loaded / progress.total) * 100);
      setUploadProgress(percent, 'Uploading… ' + percent + '%');
    });
    xhr.upload.addEventListener('load', () => setUploadProgress(100, 'Checking the file…'));
    const finish = endUpload;
    xhr.addEventListener('load', () => {
      finish();
      if (xhr.status === 201) {
        let task;
        try {
          task = JSON.parse(xhr.responseText);
        } catch (error) {
          showError(el.uploadMessage, error);
          return;
        }
        uploaded(task, fileName, xhr.getResponseHeader('Idempotent-Replayed') === 'true');
        return;
      }
      if (xhr.status === 401) {
        sessionEnded();
        return;
      }
      showError(el.uploadMessage, new ApiError(xhr.status, toProblem(xhr.status, xhr.responseText)));
    });
    xhr.addEventListener('error', () => {
      finish();
      // A 413 often arrives as a dropped connection: the server stops reading an oversized body.
      showMessage(el.uploadMessage, 'error', {
        title: 'Upload interrupted',
        detail: 'The connection dropped before the server answered. Try again: a repeated click never creates a duplicate. Very large files may exceed the upload limit.',
      });
    });
    xhr.addEventListener('abort', () => {
      finish();
      showMessage(el.uploadMessage, 'info', 'Upload stopped.');
    });
    el.uploadSubmit.disabled = true;
    el.uploadSubmit.textContent = 'Uploading…';
    setUploadProgress(0, 'Uploading… 0%');
    xhr.send(form);
  }

  // ---------------------------------------------------------------- tasks

  async function loadTasks() {
    hideMessage(el.tasksMessage);
    el.refresh.disabled = true;
    try {
      const tasks = await api('/api/tasks?order=1');
      if (!state.token) return;
      const seen = new Set();
      el.taskList.replaceChildren();
      for (const task of tasks) {
        seen.add(task.id);
        upsertTask(task, { quiet: true });
      }
      for (const id of [...state.tasks.keys()]) {
        if (!seen.has(id)) forgetTask(id);
      }
      state.listLoaded = true;
      scheduleAccount();
      tasks.forEach(watch);
      updateEmpty();
      await revealHashTask();
    } catch (error) {
      if (state.token) showError(el.tasksMessage, error);
    } finally {
      el.refresh.disabled = false;
    }
  }

  // ---------------------------------------------------------------- account usage

  /** What the account uses of each limit, under the upload form; refreshed when that changes. */
  async function loadAccount() {
    window.clearTimeout(state.accountTimer);
    state.accountTimer = null;
    try {
      const account = await api('/api/account');
      if (!state.token) return;
      const usage = account.usage;
      const parts = [
        usage.activeTasks.used + ' of ' + usage.activeTasks.limit + ' unfinished conversions',
        formatBytes(usage.storedBytes.used) + ' of ' + formatBytes(usage.storedBytes.limit) + ' stored',
        usage.uploadsLastHour.used + ' of ' + usage.uploadsLastHour.limit + ' uploads this hour',
      ];
      el.usage.textContent = 'Your usage: ' + parts.join(' · ');
      el.usage.classList.toggle('usage-full', Object.values(usage).some((m) => m.used >= m.limit));
      el.usage.hidden = false;
    } catch (error) {
      // usage is a courtesy: the list and the uploads work without it
    }
  }

  function scheduleAccount() {
    if (state.accountTimer || !state.token) return;
    state.accountTimer = window.setTimeout(loadAccount, 500);
  }

  function updateEmpty() {
    el.tasksEmpty.hidden = !state.listLoaded || el.taskList.children.length > 0;
  }

  function taskElement(id) {
    return document.getElementById('task-' + id);
  }

  /** Inserts or updates a task's card; a status change is announced politely unless {@code quiet}. */
  function upsertTask(task, options = {}) {
    const previous = state.tasks.get(task.id);
    state.tasks.set(task.id, task);
    let item = taskElement(task.id);
    if (!item) {
      item = el.taskTemplate.content.firstElementChild.cloneNode(true);
      item.id = 'task-' + task.id;
      item.querySelector('.task-name').id = 'task-' + task.id + '-name';
      if (options.prepend) el.taskList.prepend(item);
      else el.taskList.append(item);
    }
    renderTask(item, task, previous);
    updateEmpty();
    if (previous && previous.status !== task.status) scheduleAccount();
    if (previous && previous.status !== task.status && !options.quiet) {
      announce(task.fileName + ' to ' + formatLabel(task.newFormat) + ': ' + STATUS_LABELS[task.status].toLowerCase()
        + (task.status === 'failed' && task.error ? '. ' + task.error : '.'));
    }
  }

  function renderTask(item, task, previous) {
    for (const status of Object.keys(STATUS_LABELS)) item.classList.toggle('status-' + status, status === task.status);
    item.dataset.status = task.status;
    item.querySelector('.task-name').textContent = task.fileName;

    const meta = [formatLabel(task.originalFormat || '?') + ' → ' + formatLabel(task.newFormat)];
    if (task.quality) meta.push(capitalise(task.quality) + ' quality');
    meta.push(task.processedSizeBytes != null
      ? formatBytes(task.sizeBytes) + ' → ' + formatBytes(task.processedSizeBytes)
      : formatBytes(task.sizeBytes));
    meta.push(formatTime(task.createdAt));
    if (task.status === 'processed' && task.startedAt && task.finishedAt) {
      meta.push('took ' + formatDuration(new Date(task.finishedAt) - new Date(task.startedAt)));
    }
    // each part wraps as a whole on narrow screens
    item.querySelector('.task-meta').textContent = meta.filter(Boolean).map((part) => part.replace(/ /g, '\u00a0')).join(' · ');

    item.querySelector('.badge').textContent = STATUS_LABELS[task.status] || task.status;

    const progress = task.status === 'processed' ? 100 : Math.max(0, Math.min(100, task.progress || 0));
    const bar = item.querySelector('.bar');
    bar.setAttribute('aria-valuenow', String(progress));
    bar.setAttribute('aria-label', 'Progress of ' + task.fileName);
    bar.setAttribute('aria-valuetext', task.status === 'uploaded' ? 'Queued' : progress + '%');
    bar.firstElementChild.style.width = progress + '%';
    item.querySelector('.bar-label').textContent = task.status === 'uploaded' ? 'Queued' : progress + '%';

    const error = item.querySelector('.task-error');
    error.textContent = task.status === 'failed' ? (task.error || 'The conversion failed.') : '';
    error.hidden = task.status !== 'failed';

    if (!previous || previous.status !== task.status || !item.querySelector('.task-actions').childElementCount) {
      renderActions(item, task);
    }
  }

  function actionButton(task, label, className, handler) {
    const button = document.createElement('button');
    button.type = 'button';
    button.className = 'button button-small ' + className;
    button.textContent = label;
    button.setAttribute('aria-describedby', 'task-' + task.id + '-name');
    button.addEventListener('click', () => handler(button));
    return button;
  }

  function renderActions(item, task) {
    const actions = item.querySelector('.task-actions');
    const hadFocus = actions.contains(document.activeElement);
    const buttons = [];
    if (task.status === 'processed' && task.links && task.links.processed) {
      buttons.push(actionButton(task, 'Download ' + formatLabel(task.newFormat), 'button-primary download-result',
        (button) => download(task.links.processed, button)));
    }
    if (task.links && task.links.original) {
      buttons.push(actionButton(task, 'Original', 'button-quiet download-original',
        (button) => download(task.links.original, button)));
    }
    if (task.status === 'uploaded' || task.status === 'processing') {
      buttons.push(actionButton(task, 'Cancel', 'button-quiet task-cancel', (button) => taskAction(task.id, 'cancel', button)));
    }
    if (task.status === 'failed' || task.status === 'cancelled') {
      buttons.push(actionButton(task, 'Retry', 'button-secondary task-retry', (button) => taskAction(task.id, 'retry', button)));
    }
    if (task.status !== 'processing') {
      buttons.push(actionButton(task, 'Delete', 'button-quiet button-danger task-delete', (button) => deleteTask(task.id, button)));
    }
    actions.replaceChildren(...buttons);
    if (hadFocus) item.focus();
  }

  async function taskAction(id, action, button) {
    hideMessage(el.tasksMessage);
    button.disabled = true;
    try {
      const task = await api('/api/tasks/' + id + '/' + action, { method: 'POST' });
      if (task) {
        upsertTask(task);
        watch(task);
      }
    } catch (error) {
      if (!state.token) return;
      showError(el.tasksMessage, error);
      button.disabled = false;
      refreshTask(id);
    }
  }

  async function deleteTask(id, button) {
    const task = state.tasks.get(id);
    if (!window.confirm('Delete “' + (task ? task.fileName : 'this conversion') + '” and its files?')) return;
    hideMessage(el.tasksMessage);
    button.disabled = true;
    try {
      await api('/api/tasks/' + id, { method: 'DELETE' });
      const item = taskElement(id);
      const next = item && (item.nextElementSibling || item.previousElementSibling);
      forgetTask(id);
      scheduleAccount();
      announce('Deleted ' + (task ? task.fileName : 'the conversion') + '.');
      if (next) next.focus(); else el.convertHeading.focus();
    } catch (error) {
      if (!state.token) return;
      if (error.status === 404) {
        forgetTask(id);
        return;
      }
      showError(el.tasksMessage, error);
      button.disabled = false;
      refreshTask(id);
    }
  }

  function forgetTask(id) {
    stopWatching(id);
    state.tasks.delete(id);
    const item = taskElement(id);
    if (item) item.remove();
    updateEmpty();
  }

  async function refreshTask(id) {
    try {
      const task = await api('/api/tasks/' + id);
      upsertTask(task);
      watch(task);
      return task;
    } catch (error) {
      if (error.status === 404) forgetTask(id);
      return null;
    }
  }

  // ---------------------------------------------------------------- downloads

  /** The name a Content-Disposition header gives: RFC 5987's filename* first, then filename. */
  function dispositionName(header) {
    if (!header) return null;
    const extended = /filename\*\s*=\s*([^']*)'[^']*'([^;]+)/i.exec(header);
    if (extended) {
      try {
        return decodeURIComponent(extended[2].trim().replace(/^"|"$/g, ''));
      } catch (ignored) {
        // malformed: try the plain parameter
      }
    }
    const quoted = /filename\s*=\s*"((?:\\.|[^"\\])*)"/i.exec(header);
    if (quoted) return quoted[1].replace(/\\(.)/g, '$1');
    const bare = /filename\s*=\s*([^;\s]+)/i.exec(header);
    return bare ? bare[1] : null;
  }

  // Downloads need the bearer header, so a plain link cannot do them: fetch, then save the blob.
  async function download(path, button) {
    hideMessage(el.tasksMessage);
    const label = button.textContent;
    button.disabled = true;
    button.textContent = 'Downloading…';
    try {
      let response;
      try {
        response = await fetch(path, { headers: authHeaders({ Accept: '*/*' }), cache: 'no-store' });
      } catch (error) {
        throw new ApiError(0, toProblem(0));
      }
      if (!response.ok) {
        if (response.status === 401) sessionEnded();
        throw new ApiError(response.status, toProblem(response.status, await response.text()));
      }
      const blob = await response.blob();
      const name = dispositionName(response.headers.get('Content-Disposition')) || path.split('/').pop();
      const url = URL.createObjectURL(blob);
      const link = document.createElement('a');
      link.href = url;
      link.download = name;
      link.hidden = true;
      document.body.append(link);
      link.click();
      link.remove();
      window.setTimeout(() => URL.revokeObjectURL(url), 60000);
      announce('Downloaded ' + name + '.');
    } catch (error) {
      if (state.token) showError(el.tasksMessage, error);
    } finally {
      button.textContent = label;
      button.disabled = false;
    }
  }

  // ---------------------------------------------------------------- live updates

  /** Follows an unfinished task: an SSE stream while a slot is free, polling otherwise. */
  function watch(task) {
    if (!state.token) return;
    if (FINAL.has(task.status)) {
      stopWatching(task.id);
      return;
    }
    if (state.streams.has(task.id)) return;
    if (state.streams.size < MAX_STREAMS) {
      state.waiting.delete(task.id);
      openStream(task.id, 0);
    } else {
      state.waiting.add(task.id);
      schedulePolling();
    }
  }

  function stopWatching(id) {
    const stream = state.streams.get(id);
    state.streams.delete(id);
    state.waiting.delete(id);
    if (stream) stream.abort();
    promoteWaiting();
  }

  function stopAllWatching() {
    for (const stream of state.streams.values()) stream.abort();
    state.streams.clear();
    state.waiting.clear();
    window.clearTimeout(state.pollTimer);
    state.pollTimer = null;
  }

  function promoteWaiting() {
    for (const id of state.waiting) {
      if (state.streams.size >= MAX_STREAMS) break;
      state.waiting.delete(id);
      const task = state.tasks.get(id);
      if (task && !FINAL.has(task.status)) openStream(id, 0);
    }
  }

  function schedulePolling() {
    if (state.pollTimer || !state.waiting.size) return;
    state.pollTimer = window.setTimeout(async () => {
      state.pollTimer = null;
      await Promise.all([...state.waiting].map(async (id) => {
        const task = await refreshTask(id);
        if (!task || FINAL.has(task.status)) state.waiting.delete(id);
      }));
      schedulePolling();
    }, POLL_MS);
  }

  /**
   * Reads GET /api/tasks/{id}/events with fetch() (EventSource cannot send the Authorization header).
   * Every event carries the whole task, so a reconnect loses nothing; the server ends the stream after
   * a final status, and a drop before that is retried with a growing back-off.
   */
  async function openStream(id, attempt) {
    const controller = new AbortController();
    const entry = { abort: () => controller.abort() };
    state.streams.set(id, entry);
    let failures = attempt;
    try {
      const response = await fetch('/api/tasks/' + id + '/events', {
        headers: { Accept: 'text/event-stream', Authorization: 'Bearer ' + state.token },
        cache: 'no-store',
        signal: controller.signal,
      });
      if (response.status === 404) {
        forgetTask(id);
        return;
      }
      if (response.status === 401) {
        sessionEnded();
        return;
      }
      if (response.status === 429) {
        // the account has all the streams it may: follow this one by polling until a stream ends
        if (state.streams.get(id) === entry) state.streams.delete(id);
        state.waiting.add(id);
        schedulePolling();
        return;
      }
      if (response.ok && response.body) {
        await readEventStream(response.body, (event) => {
          if (event.type !== 'status' && event.type !== 'progress') return;
          failures = 0;
          let task;
          try {
            task = JSON.parse(event.data);
          } catch (ignored) {
            return;
          }
          if (state.tasks.has(task.id)) upsertTask(task);
        });
      }
    } catch (error) {
      // dropped (network, server restart) or aborted: decided below
    }
    if (controller.signal.aborted || state.streams.get(id) !== entry) return;
    state.streams.delete(id);
    const task = state.tasks.get(id);
    if (!state.token || !task || FINAL.has(task.status)) {
      promoteWaiting();
      return;
    }
    const delay = Math.min(MAX_BACKOFF_MS, 1000 * 2 ** failures) + Math.random() * 500;
    const timer = window.setTimeout(() => {
      if (state.streams.get(id) !== retry) return;
      state.streams.delete(id);
      openStream(id, failures + 1);
    }, delay);
    const retry = { abort: () => window.clearTimeout(timer) };
    state.streams.set(id, retry);
  }

  /** A minimal text/event-stream parser (the WHATWG rules: lines, fields, blank line dispatches). */
  async function readEventStream(body, onEvent) {
    const reader = body.getReader();
    const decoder = new TextDecoder();
    let buffer = '';
    let data = [];
    let type = '';
    const line = (text) => {
      if (text === '') {
        if (data.length) onEvent({ type: type || 'message', data: data.join('\n') });
        data = [];
        type = '';
        return;
      }
      if (text.startsWith(':')) return; // comment: keep-alive
      const colon = text.indexOf(':');
      const field = colon < 0 ? text : text.slice(0, colon);
      let value = colon < 0 ? '' : text.slice(colon + 1);
      if (value.startsWith(' ')) value = value.slice(1);
      if (field === 'data') data.push(value);
      else if (field === 'event') type = value;
    };
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      buffer += decoder.decode(value, { stream: true });
      // A trailing CR may be the first half of CRLF: keep it for the next chunk.
      const pendingCr = buffer.endsWith('\r');
      const lines = (pendingCr ? buffer.slice(0, -1) : buffer).split(/\r\n|\r|\n/);
      buffer = lines.pop() + (pendingCr ? '\r' : '');
      lines.forEach(line);
    }
  }

  // ---------------------------------------------------------------- #task-<id>

  /** Mails link to /#task-<id>: bring that task into view and highlight it. */
  async function revealHashTask() {
    const match = /^#task-([0-9a-f-]{36})$/i.exec(window.location.hash);
    for (const highlighted of el.taskList.querySelectorAll('.is-highlighted')) {
      highlighted.classList.remove('is-highlighted');
    }
    if (!match || !state.token || !state.listLoaded) return;
    const id = match[1].toLowerCase();
    let item = taskElement(id);
    if (!item) {
      // older than the list's page, perhaps
      try {
        const task = await api('/api/tasks/' + id);
        upsertTask(task, { quiet: true });
        watch(task);
        item = taskElement(id);
      } catch (error) {
        if (state.token) {
          showMessage(el.tasksMessage, 'info', 'The linked conversion is not in your list: it may have been deleted.');
        }
        return;
      }
    }
    item.classList.add('is-highlighted');
    const smooth = !window.matchMedia('(prefers-reduced-motion: reduce)').matches;
    item.scrollIntoView({ block: 'center', behavior: smooth ? 'smooth' : 'auto' });
    item.focus({ preventScroll: true });
  }

  // ---------------------------------------------------------------- helpers

  function capitalise(text) {
    return text ? text.charAt(0).toUpperCase() + text.slice(1) : text;
  }

  function formatBytes(bytes) {
    if (bytes == null || Number.isNaN(bytes)) return '';
    const units = ['B', 'KB', 'MB', 'GB', 'TB'];
    let value = bytes;
    let unit = 0;
    while (value >= 1024 && unit < units.length - 1) {
      value /= 1024;
      unit += 1;
    }
    return (unit === 0 || value >= 100 ? Math.round(value) : value.toFixed(1)) + ' ' + units[unit];
  }

  const timeFormat = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' });
  const dateTimeFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

  function formatTime(iso) {
    if (!iso) return '';
    const date = new Date(iso);
    const today = new Date();
    return date.toDateString() === today.toDateString() ? 'today ' + timeFormat.format(date) : dateTimeFormat.format(date);
  }

  function formatDuration(ms) {
    if (!(ms >= 0)) return '';
    if (ms < 10000) return (ms / 1000).toFixed(1) + ' s';
    if (ms < 90000) return Math.round(ms / 1000) + ' s';
    return Math.round(ms / 60000) + ' min';
  }

  // ---------------------------------------------------------------- API keys

  /** The account's keys (never the keys themselves: only their first characters). */
  async function loadKeys() {
    try {
      const keys = await api('/api/keys');
      el.keyList.replaceChildren(...keys.map(keyItem));
      el.keysEmpty.hidden = keys.length > 0;
    } catch (error) {
      showError(el.keyMessage, error);
    }
  }

  function keyItem(key) {
    const item = document.createElement('li');
    item.className = 'key';
    const text = document.createElement('span');
    const name = document.createElement('strong');
    name.textContent = key.name;
    const meta = [key.prefix + '…', 'created ' + formatTime(key.createdAt),
      key.lastUsedAt ? 'last used ' + formatTime(key.lastUsedAt) : 'never used'];
    if (key.expiresAt) meta.push('expires ' + formatTime(key.expiresAt));
    text.append(name, ' ', meta.join(' · '));
    const revoke = document.createElement('button');
    revoke.type = 'button';
    revoke.className = 'button button-quiet button-small';
    revoke.textContent = 'Revoke';
    revoke.setAttribute('aria-label', 'Revoke the key ' + key.name);
    revoke.addEventListener('click', () => revokeKey(key, revoke));
    item.append(text, revoke);
    return item;
  }

  async function createKey(event) {
    event.preventDefault();
    const name = el.keyName.value.trim();
    if (!name) {
      showMessage(el.keyMessage, 'error', { title: 'Name missing', detail: 'Give the key a name you will recognise.' });
      el.keyName.focus();
      return;
    }
    el.keySubmit.disabled = true;
    try {
      const created = await api('/api/keys', { method: 'POST', json: { name } });
      el.keyName.value = '';
      showMessage(el.keyMessage, 'info', { title: 'Key created.', detail: 'Copy it now: it is not shown again.' });
      const code = document.createElement('code');
      code.className = 'key-secret';
      code.textContent = created.key;
      el.keyMessage.append(code);
      await loadKeys();
    } catch (error) {
      showError(el.keyMessage, error);
    } finally {
      el.keySubmit.disabled = false;
    }
  }

  async function revokeKey(key, button) {
    button.disabled = true;
    try {
      await api('/api/keys/' + key.id, { method: 'DELETE' });
      showMessage(el.keyMessage, 'info', 'The key ' + key.name + ' is revoked.');
      await loadKeys();
    } catch (error) {
      button.disabled = false;
      showError(el.keyMessage, error);
    }
  }

  // ---------------------------------------------------------------- wiring

  el.loginForm.addEventListener('submit', onLogin);
  el.signupForm.addEventListener('submit', onSignup);
  el.logout.addEventListener('click', onLogout);
  el.uploadForm.addEventListener('submit', onUpload);
  el.uploadAbort.addEventListener('click', () => state.xhr && state.xhr.abort());
  el.refresh.addEventListener('click', loadTasks);
  el.keyForm.addEventListener('submit', createKey);
  el.keysPanel.addEventListener('toggle', () => {
    if (el.keysPanel.open) loadKeys();
  });
  el.fileInput.addEventListener('change', () => chooseFile(el.fileInput.files[0]));
  el.formatSelect.addEventListener('change', () => {
    newIdempotencyKey();
    hideMessage(el.uploadMessage);
    updateQuality();
  });
  el.qualitySelect.addEventListener('change', newIdempotencyKey);
  el.notifyInput.addEventListener('change', newIdempotencyKey);
  window.addEventListener('hashchange', revealHashTask);

  // Drag and drop: the file input covers the drop zone, so a drop on it is native. A file dropped
  // anywhere else on the page is taken too, rather than letting the browser navigate to it.
  for (const name of ['dragenter', 'dragover']) {
    el.fileInput.addEventListener(name, () => el.dropzone.classList.add('is-dragging'));
  }
  for (const name of ['dragleave', 'drop']) {
    el.fileInput.addEventListener(name, () => el.dropzone.classList.remove('is-dragging'));
  }
  window.addEventListener('dragover', (event) => {
    if (event.target !== el.fileInput) event.preventDefault();
  });
  window.addEventListener('drop', (event) => {
    if (event.target === el.fileInput) return;
    event.preventDefault();
    const files = event.dataTransfer && event.dataTransfer.files;
    if (el.appView.hidden || !files || !files.length || state.xhr) return;
    try {
      el.fileInput.files = files;
    } catch (ignored) {
      // older browsers: the state below is what counts
    }
    chooseFile(files[0]);
  });

  loadFormats();
  if (state.token) {
    scheduleExpiry();
    if (state.token) showApp();
  } else {
    showAuth();
  }
})();
