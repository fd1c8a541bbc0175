// Browser test page of the IM server: one WebSocket to /ws, protobuf frames built from /im.proto at run time.
// Client -> server frames are pb.Input, server -> client frames are pb.Output (see docs/PROTOCOL.md).
'use strict';

const HEARTBEAT_MS = 10000;   // send a heartbeat every 10 s (as the seed page) ...
const HEARTBEAT_WAIT_MS = 10000; // ... and close the socket if it is not answered within 10 s
const RECONNECT_MS = 10000;   // reconnect 10 s after a close (as the seed page)
const PAGE_SIZE = 15;
const MAX_ENTRIES = 300;      // cap of the message list and the reply log

// Tags the server uses in previews for non-text messages (see PROTOCOL.md "Preview").
const CONTENT_TAGS = {
  face: '[表情]', voice: '[录音]', image: '[图像]', file: '[文件]', location: '[地址]',
  command: '[指令推送]', custom: '[自定义]', video: '[视频]',
};

const $ = (id) => document.getElementById(id);

let pb = null;          // message types, filled once /im.proto is loaded
let ws = null;          // current WebSocket
let signedIn = false;
let wantConnected = false; // false after Disconnect, a refused sign-in or a kick: no automatic reconnect
let heartbeatTimer = null, heartbeatWait = null, reconnectTimer = null, refreshTimer = null;
let identity = null;    // {app_id, user_id, device_id, token} of the current connection
let syncState = null;   // {conversation_id, receiver_type, offset, title} of the conversation shown under "Sync"

// ---------- small helpers ----------

// int64 fields arrive as numbers (or Long objects if long.js is present): String()/Number() work for both.
const str = (v) => (v === null || v === undefined ? '' : String(v));

function el(tag, className, text) {
  const e = document.createElement(tag);
  if (className) e.className = className;
  if (text !== undefined) e.textContent = text;
  return e;
}

function time(ms) {
  const n = Number(ms);
  return n > 0 ? new Date(n).toLocaleTimeString() : '';
}

function append(list, node) {
  list.querySelector('.empty')?.remove();
  list.appendChild(node);
  while (list.children.length > MAX_ENTRIES) list.removeChild(list.firstChild);
  list.scrollTop = list.scrollHeight;
}

function setStatus(state, text) {
  const s = $('status');
  s.dataset.state = state;
  s.textContent = text;
}

function log(text, isError) {
  const line = el('div', 'log-entry' + (isError ? ' error' : ''), new Date().toLocaleTimeString() + '  ' + text);
  append($('logEntries'), line);
}

// Text of a MessageBody: the text itself, else the tag of its content kind.
function bodyText(body) {
  const content = body && body.message_content;
  if (!content) return '[empty]';
  if (content.text) return content.text.text;
  for (const kind of Object.keys(CONTENT_TAGS)) {
    if (content[kind]) return CONTENT_TAGS[kind];
  }
  return '[unknown type ' + str(body.message_type) + ']';
}

// ---------- protobuf ----------

async function loadProto() {
  // keepCase: field names stay as in the .proto (message_body, receiver_id, ...)
  const root = await new protobuf.Root().load('/im.proto', { keepCase: true });
  const t = (name) => root.lookupType('pb.' + name);
  return {
    Input: t('Input'), Output: t('Output'), Auth: t('Auth'), SendMessage: t('SendMessage'),
    MessageItem: t('MessageItem'), MessageRead: t('MessageRead'), ConversationReq: t('ConversationReq'),
    ConversationResp: t('ConversationResp'), SyncReq: t('SyncReq'), SyncResp: t('SyncResp'),
  };
}

function encode(type, object) {
  return type.encode(type.fromObject(object)).finish();
}

// Sends Input{type, data}; data is a plain object encoded as dataType. Only sign carries auth.
function send(type, dataType, data, auth) {
  if (!ws || ws.readyState !== WebSocket.OPEN) {
    log(type + ': not connected', true);
    return false;
  }
  if (!signedIn && type !== 'sign') {
    log(type + ': not signed in yet', true);
    return false;
  }
  const input = { type: type };
  if (dataType) input.data = encode(dataType, data);
  if (auth) input.auth = [auth];
  ws.send(encode(pb.Input, input));
  return true;
}

// ---------- connection ----------

function readFields() {
  return {
    app_id: Number($('appId').value), user_id: Number($('userId').value),
    device_id: Number($('deviceId').value), token: $('token').value.trim(),
  };
}

function connect() {
  if (!pb) return setStatus('error', 'protocol not loaded yet');
  const auth = readFields();
  if (!(auth.app_id > 0 && auth.user_id > 0 && auth.device_id > 0 && auth.token)) {
    setStatus('error', 'fill in app_id, user_id, device_id and token');
    return;
  }
  closeSocket();
  identity = auth;
  wantConnected = true;
  const url = (location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host + '/ws';
  setStatus('connecting', 'connecting…');
  const socket = new WebSocket(url);
  socket.binaryType = 'arraybuffer';
  ws = socket;
  socket.onopen = () => {
    setStatus('signing', 'connected, signing in…');
    send('sign', null, null, identity);
    startHeartbeat();
  };
  socket.onmessage = (event) => {
    if (socket === ws) onFrame(event.data);
  };
  socket.onerror = () => log('WebSocket error', true);
  socket.onclose = (event) => {
    if (socket !== ws) return; // an older socket we replaced
    stopHeartbeat();
    signedIn = false;
    ws = null;
    const why = 'closed (' + event.code + (event.reason ? ' ' + event.reason : '') + ')';
    log('WebSocket ' + why, !wantConnected);
    if (wantConnected) {
      setStatus('disconnected', why + ', reconnecting in ' + RECONNECT_MS / 1000 + ' s');
      reconnectTimer = setTimeout(connect, RECONNECT_MS);
    } else if ($('status').dataset.state !== 'error') {
      setStatus('disconnected', 'disconnected');
    }
  };
}

// Closes the current socket without reconnecting.
function closeSocket() {
  clearTimeout(reconnectTimer);
  stopHeartbeat();
  signedIn = false;
  if (ws) {
    const old = ws;
    ws = null;
    old.close();
  }
}

function disconnect() {
  wantConnected = false;
  closeSocket();
  setStatus('disconnected', 'disconnected');
}

function startHeartbeat() {
  stopHeartbeat();
  heartbeatTimer = setInterval(() => {
    if (!signedIn) return;
    send('heartbeat');
    clearTimeout(heartbeatWait);
    heartbeatWait = setTimeout(() => {
      log('no heartbeat reply within ' + HEARTBEAT_WAIT_MS / 1000 + ' s, closing', true);
      ws && ws.close();
    }, HEARTBEAT_WAIT_MS);
  }, HEARTBEAT_MS);
}

function stopHeartbeat() {
  clearInterval(heartbeatTimer);
  clearTimeout(heartbeatWait);
}

// ---------- incoming frames ----------

function onFrame(buffer) {
  let out;
  try {
    out = pb.Output.decode(new Uint8Array(buffer));
  } catch (e) {
    log('undecodable frame: ' + e.message, true);
    return;
  }
  const ok = out.code === 200;
  if (out.type === 'heartbeat' && ok) {
    clearTimeout(heartbeatWait);
    return;
  }
  log(out.type + '  ' + out.code + '  ' + out.message, !ok);
  // A reply type this page does not display is logged above and otherwise ignored.
  if (!Object.hasOwn(handlers, out.type)) return;
  try {
    handlers[out.type](out, ok);
  } catch (e) {
    log('cannot show ' + out.type + ': ' + e.message, true);
  }
}

const handlers = {
  sign(out, ok) {
    if (ok) {
      signedIn = true;
      setStatus('signed-in', 'signed in as user ' + identity.user_id + ' (app ' + identity.app_id
        + ', device ' + identity.device_id + ')');
      listConversations();
    } else {
      wantConnected = false; // the same token would be refused again
      setStatus('error', 'sign-in refused: ' + out.code + ' ' + out.message);
    }
  },
  kick(out) {
    wantConnected = false; // another tab signed in as this device; reconnecting would kick it back
    setStatus('error', 'kicked: ' + out.message);
  },
  // A new message for this user: show it, confirm it with a read receipt (as the seed page does).
  message(out, ok) {
    if (!ok) return;
    const item = pb.MessageItem.decode(out.data);
    showMessage(item, 'received');
    send('messageread', pb.MessageRead, { message_id: item.id });
    addToHistory(item);
    scheduleRefresh();
  },
  // The reply to our own sendmessage carries the stored record: show it as sent.
  sendmessage(out, ok) {
    if (!ok || !out.data || out.data.length === 0) return;
    const item = pb.MessageItem.decode(out.data);
    showMessage(item, 'sent');
    addToHistory(item);
    scheduleRefresh();
  },
  getconversationlist(out, ok) {
    if (ok) showConversations(pb.ConversationResp.decode(out.data).conversation);
  },
  sync(out, ok) {
    if (ok) showHistory(pb.SyncResp.decode(out.data).messages);
  },
};

// ---------- rendering ----------

function showMessage(item, kind) {
  const box = el('div', 'message ' + kind);
  box.dataset.id = str(item.id);
  const who = (item.sender_name || 'user') + ' #' + str(item.sender_id);
  const to = (Number(item.receiver_type) === 2 ? 'group ' : 'user ') + str(item.receiver_id);
  box.appendChild(el('div', 'meta', (kind === 'sent' ? 'sent ' : 'from ') + who + ' → ' + to
    + ' · id ' + str(item.id) + ' · conversation ' + str(item.conversation_id) + ' · ' + time(item.send_time)));
  box.appendChild(el('div', 'body', bodyText(item.message_body)));
  append($('messages'), box);
}

function showConversations(items) {
  const body = $('conversations');
  body.replaceChildren();
  if (items.length === 0) {
    const row = el('tr');
    const cell = el('td', 'empty', 'no conversations yet');
    cell.colSpan = 6;
    row.appendChild(cell);
    body.appendChild(row);
    return;
  }
  for (const c of items) {
    const row = el('tr', 'conversation');
    row.dataset.id = str(c.id);
    if (syncState && str(syncState.conversation_id) === str(c.id)) row.classList.add('selected');
    const isGroup = Number(c.receiver_type) === 2;
    const flags = [Number(c.top) === 2 ? 'pinned' : '', Number(c.disturb) === 2 ? 'muted' : ''].filter(Boolean);
    const cells = [
      ['id', str(c.id)],
      ['username', (c.username || '?') + ' (#' + str(c.receiver_id) + ')'],
      ['type', isGroup ? 'group' : 'user'],
      ['unread', str(c.receive_num)],
      ['preview', c.messagenewcontent],
      ['flags', flags.join(', ')],
    ];
    for (const [name, text] of cells) row.appendChild(el('td', name, text));
    if (Number(c.receive_num) > 0) row.querySelector('.unread').classList.add('has-unread');
    row.addEventListener('click', () => openConversation(c));
    body.appendChild(row);
  }
}

function historyEntry(item) {
  const mine = identity && str(item.sender_id) === str(identity.user_id);
  const box = el('div', 'history-message' + (mine ? ' mine' : ''));
  box.dataset.id = str(item.id);
  box.appendChild(el('span', 'meta', time(item.send_time) + ' ' + (item.sender_name || '#' + str(item.sender_id))
    + ' (id ' + str(item.id) + '): '));
  box.appendChild(el('span', 'body', bodyText(item.message_body)));
  return box;
}

// A new message of the conversation shown under "Sync" is added at its end.
function addToHistory(item) {
  if (!syncState || str(syncState.conversation_id) !== str(item.conversation_id)) return;
  const list = $('history');
  list.querySelector('.empty')?.remove();
  list.appendChild(historyEntry(item));
  list.scrollTop = list.scrollHeight;
  syncState.offset += 1; // paging counts from the newest message
}

// Sync replies come newest first; show them oldest first, older pages above what is shown.
function showHistory(messages) {
  if (!syncState) return;
  const list = $('history');
  const fresh = syncState.offset === 0;
  if (fresh) list.replaceChildren();
  const nodes = messages.slice().reverse().map(historyEntry);
  list.prepend(...nodes);
  if (fresh && messages.length === 0) list.appendChild(el('div', 'empty', 'no messages'));
  if (fresh) list.scrollTop = list.scrollHeight;
  $('older').disabled = messages.length < PAGE_SIZE;
  syncState.offset += messages.length;
}

// ---------- user actions ----------

function listConversations() {
  send('getconversationlist', pb.ConversationReq, { limit: PAGE_SIZE, offset: 0 });
}

// Refreshes the conversation list shortly after new messages (one request for a burst).
function scheduleRefresh() {
  clearTimeout(refreshTimer);
  refreshTimer = setTimeout(listConversations, 300);
}

function openConversation(c) {
  syncState = { conversation_id: c.id, receiver_type: c.receiver_type, offset: 0 };
  $('historyTitle').textContent = 'conversation ' + str(c.id) + ' with ' + (c.username || '#' + str(c.receiver_id));
  for (const row of document.querySelectorAll('tr.conversation')) {
    row.classList.toggle('selected', row.dataset.id === str(c.id));
  }
  // Sending from the panel now goes to this conversation's peer.
  $('receiverType').value = String(Number(c.receiver_type) === 2 ? 2 : 1);
  $('receiverId').value = str(c.receiver_id);
  syncPage();
}

function syncPage() {
  send('sync', pb.SyncReq, {
    conversation_id: syncState.conversation_id, receiver_type: syncState.receiver_type,
    limit: PAGE_SIZE, offset: syncState.offset,
  });
}

function sendText() {
  const receiverType = Number($('receiverType').value);
  const receiverId = Number($('receiverId').value);
  const text = $('text').value;
  if (!(receiverId > 0)) return log('sendmessage: enter a receiver id', true);
  if (!text) return log('sendmessage: enter a text', true);
  const sent = send('sendmessage', pb.SendMessage, {
    sender_type: 2, // user
    receiver_type: receiverType,
    receiver_id: receiverId,
    message_body: { message_type: 1 /* MT_TEXT */, message_content: { text: { text: text } } },
  });
  if (sent) $('text').value = '';
}

// ---------- start ----------

window.addEventListener('error', (e) => log('page error: ' + e.message, true));

async function main() {
  const q = new URLSearchParams(location.search);
  $('appId').value = q.get('app') || '';
  $('userId').value = q.get('user') || '';
  $('deviceId').value = q.get('device') || '';
  $('token').value = q.get('token') || '';
  $('messages').appendChild(el('div', 'empty', 'no messages yet'));

  $('connect').addEventListener('click', connect);
  $('disconnect').addEventListener('click', disconnect);
  $('send').addEventListener('click', sendText);
  $('text').addEventListener('keydown', (e) => { if (e.key === 'Enter') sendText(); });
  $('listConversations').addEventListener('click', listConversations);
  $('older').addEventListener('click', () => syncState && syncPage());

  try {
    pb = await loadProto();
  } catch (e) {
    setStatus('error', 'cannot load /im.proto: ' + e.message);
    log('cannot load /im.proto: ' + e.message, true);
    return;
  }
  if (q.get('app') && q.get('user') && q.get('device') && q.get('token')) connect();
}

main();
