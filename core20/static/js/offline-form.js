// Forms that work with no connection (loaded as a module on the activity and insight forms).
//
// A form opts in with data attributes, so one script serves every such form:
//   data-offline                  marks the form
//   data-sw-url                   the service worker to register (it keeps the form page)
//   data-api-url                  the JSON API that takes the same submission as the page
//   data-offline-queue            the localStorage key of this form's queue (one per person)
//   data-offline-legacy-queue     optional: an older shared key whose saves are taken over
//   data-offline-body             JSON: how the form becomes the API's body (see formAsJson)
//   data-offline-checks           JSON: the few checks made before keeping (see quickProblems)
//   data-offline-messages         JSON: what the page says (see describeQueue)
// The page also has #offline-status (role=status) and #offline-errors (the error summary).
//
// - Every submission has a UUID (the hidden "uuid" field, new each time the page opens,
//   so a copy kept by the service worker never reuses one), so sending it twice stores it once.
// - When the browser is offline the form is kept in this browser's localStorage instead of
//   being posted, and sent to the API when the connection returns. Only the form's fields
//   are kept, as the API's body.
// Without JavaScript the form posts as an ordinary form.

const form = document.querySelector("form[data-offline]");
const statusBox = document.getElementById("offline-status");
const errorsBox = document.getElementById("offline-errors");

function config(name, fallback) {
  try {
    return JSON.parse(form.dataset[name] || "null") || fallback;
  } catch {
    return fallback;
  }
}

const QUEUE_KEY = form ? form.dataset.offlineQueue : "";
const BODY = form ? config("offlineBody", {}) : {};
const CHECKS = form ? config("offlineChecks", []) : [];
const MESSAGES = form ? config("offlineMessages", {}) : {};

function newUuid() {
  if (crypto.randomUUID) {
    return crypto.randomUUID();
  }
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = (bytes[6] & 0x0f) | 0x40;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

function readQueue() {
  try {
    return JSON.parse(localStorage.getItem(QUEUE_KEY) || "[]");
  } catch {
    return [];
  }
}

function writeQueue(queue) {
  localStorage.setItem(QUEUE_KEY, JSON.stringify(queue));
}

// Saves kept under an older key shared by everyone on the device move to this person's
// queue once (they were always sent by whoever signed in next), and the old key goes.
function adoptLegacyQueue() {
  const legacyKey = form.dataset.offlineLegacyQueue;
  if (!legacyKey || legacyKey === QUEUE_KEY || localStorage.getItem(legacyKey) === null) return;
  let legacy = [];
  try {
    legacy = JSON.parse(localStorage.getItem(legacyKey) || "[]");
  } catch {
    legacy = [];
  }
  const queue = readQueue();
  const known = new Set(queue.map((item) => item.uuid));
  writeQueue([...queue, ...legacy.filter((item) => item && !known.has(item.uuid))]);
  localStorage.removeItem(legacyKey);
}

// A message by name, "_one" or "_many" by count, with {count} and {field} filled in
// (field values cut to 40 characters).
function message(name, count, values = {}) {
  const text = MESSAGES[`${name}_${count === 1 ? "one" : "many"}`] ?? MESSAGES[name] ?? "";
  return text.replace(/\{(\w+)\}/g, (_, key) => {
    if (key === "count") return String(count);
    const value = String(values[key] ?? "");
    return value.length > 40 ? `${value.slice(0, 39)}…` : value;
  });
}

function say(text) {
  if (statusBox) {
    statusBox.textContent = "";
    if (text) {
      const p = document.createElement("p");
      p.className = "nhsuk-body";
      p.textContent = text;
      statusBox.appendChild(p);
    }
  }
}

function showProblems(title, problems) {
  errorsBox.replaceChildren();
  if (!problems.length) {
    errorsBox.hidden = true;
    errorsBox.className = "";
    return;
  }
  errorsBox.className = "nhsuk-error-summary";
  const alert = document.createElement("div");
  alert.setAttribute("role", "alert");
  const h2 = document.createElement("h2");
  h2.className = "nhsuk-error-summary__heading";
  h2.textContent = title;
  const list = document.createElement("ul");
  list.className = "nhsuk-list nhsuk-error-summary__list";
  for (const problem of problems) {
    const li = document.createElement("li");
    li.textContent = problem;
    list.appendChild(li);
  }
  const body = document.createElement("div");
  body.className = "nhsuk-error-summary__body";
  body.appendChild(list);
  alert.append(h2, body);
  errorsBox.appendChild(alert);
  errorsBox.hidden = false;
  errorsBox.focus();
}

function describeQueue(sent = 0) {
  const waiting = readQueue().length;
  if (waiting) {
    say(message(navigator.onLine ? "waiting" : "kept", waiting));
  } else if (sent) {
    say(message("sent", sent));
  } else {
    say(navigator.onLine ? "" : message("offline", 0));
  }
}

function newSubmission() {
  const field = form.querySelector("input[name=uuid]");
  if (field) {
    field.value = newUuid();
  }
}

const count = (value) => (value === null || value === "" ? null : Number(value));

// The form as the API's JSON. BODY says:
//   fixed     values added as they are (for example the site the page is for)
//   numbers   fields sent as numbers
//   booleans  checkboxes sent as true or false
//   lists     fields with several values (checkboxes), sent as lists
//   groups    [{match, into}]: numbers whose field name matches the regular expression go
//             into the object `into`, under the first group (or, with two, under both)
//   defaults  values sent when the form leaves them out
// Any other field is sent as text. Empty fields are left out, so the API's defaults apply.
function formAsJson() {
  const data = new FormData(form);
  const body = structuredClone(BODY.defaults || {});
  const groups = (BODY.groups || []).map((g) => ({ match: new RegExp(g.match), into: g.into }));
  for (const name of BODY.lists || []) {
    body[name] = data.getAll(name);
  }
  for (const name of BODY.booleans || []) {
    body[name] = data.has(name);
  }
  for (const [name, value] of data.entries()) {
    if (value === "" || name === "csrfmiddlewaretoken" || name in (BODY.fixed || {})) continue;
    if ((BODY.lists || []).includes(name) || (BODY.booleans || []).includes(name)) continue;
    if ((BODY.numbers || []).includes(name)) {
      body[name] = count(value);
      continue;
    }
    const group = groups.find((g) => g.match.test(name));
    if (group) {
      const [, first, second] = group.match.exec(name);
      const into = (body[group.into] ??= {});
      if (second === undefined) {
        into[first] = count(value);
      } else {
        (into[first] ??= {})[second] = count(value);
      }
      continue;
    }
    body[name] = value;
  }
  return Object.assign(body, BODY.fixed || {});
}

// A whole number as the server's IntegerField reads it ("12", " 12 ", "12.0"), typed in a
// text input (not type=number, which takes "1e3" and leaves out what it cannot read).
const WHOLE_NUMBER = /^\s*\d+(\.0*)?\s*$/;

// The few checks that cannot wait for the server (it checks everything again). Each check:
// {field, message} the field is filled in; with min (and max) a whole number in range;
// with when: only when that other field is filled in.
// {whole_numbers: true}: every input with data-whole-number that is filled in holds a whole
// number; the attribute is the message (a field it fails is not checked again).
function quickProblems(body) {
  const filled = (value) => value !== undefined && value !== null && value !== "" && value !== false;
  const problems = [];
  const wrongNumbers = CHECKS.some((check) => check.whole_numbers)
    ? Array.from(form.querySelectorAll("input[data-whole-number]")).filter(
        (input) => input.value.trim() !== "" && !WHOLE_NUMBER.test(input.value),
      )
    : [];
  const wrongNames = new Set(wrongNumbers.map((input) => input.name));
  for (const check of CHECKS) {
    if (check.whole_numbers) {
      problems.push(...wrongNumbers.map((input) => input.dataset.wholeNumber));
      continue;
    }
    if (wrongNames.has(check.field)) continue;
    if (check.when && !filled(body[check.when])) continue;
    const value = body[check.field];
    const wrong =
      !filled(value) ||
      (check.min !== undefined &&
        (!Number.isInteger(value) || value < check.min || (check.max !== undefined && value > check.max)));
    if (wrong) problems.push(check.message);
  }
  return problems;
}

function csrfToken() {
  const input = form.querySelector("input[name=csrfmiddlewaretoken]");
  return input ? input.value : "";
}

let syncing = false;

async function sync() {
  if (syncing || !navigator.onLine) {
    return;
  }
  syncing = true;
  const failed = [];
  let sent = 0;
  try {
    for (const item of readQueue()) {
      let response;
      try {
        response = await fetch(form.dataset.apiUrl, {
          method: "POST",
          credentials: "same-origin",
          headers: { "Content-Type": "application/json", "X-CSRFToken": csrfToken() },
          body: JSON.stringify(item),
        });
      } catch {
        break; // still offline: try again later
      }
      if (response.ok) {
        writeQueue(readQueue().filter((queued) => queued.uuid !== item.uuid));
        sent += 1;
      } else if ([400, 403, 422].includes(response.status)) {
        const answer = await response.json().catch(() => ({}));
        // A 403 with a code is one trying again will not mend (a connector who is paused or
        // has left the site): kept here, and the page says why. Any other 403 (an old CSRF
        // token, say) is tried again later, like being signed out.
        if (response.status === 403 && !answer.code) break;
        const messages = (answer.errors || []).map((e) => `${e.field}: ${e.message}`);
        failed.push(`${message("item", 1, item)}: ${messages.join("; ") || answer.detail || "not accepted"}`);
      } else {
        break; // signed out or a server problem: keep everything and try again later
      }
    }
  } finally {
    syncing = false;
  }
  if (failed.length) {
    showProblems(message("not_sent", failed.length), failed);
  }
  describeQueue(sent);
}

function keep(body) {
  const queue = readQueue().filter((queued) => queued.uuid !== body.uuid);
  queue.push(body);
  writeQueue(queue);
  const site = form.querySelector("[name=site]");
  const siteValue = site ? site.value : "";
  form.reset();
  if (site) site.value = siteValue;
  newSubmission();
  showProblems("", []);
  describeQueue();
  window.scrollTo(0, 0);
}

if (form) {
  newSubmission();
  if ("serviceWorker" in navigator && form.dataset.swUrl) {
    navigator.serviceWorker.register(form.dataset.swUrl).catch(() => undefined);
  }
  form.addEventListener("submit", (event) => {
    const uuid = form.querySelector("input[name=uuid]");
    if (uuid && !uuid.value) newSubmission();
    if (navigator.onLine) {
      return; // an ordinary post, checked by the server with the error summary
    }
    event.preventDefault();
    const body = formAsJson();
    const problems = quickProblems(body);
    if (problems.length) {
      showProblems("There is a problem", problems);
      return;
    }
    keep(body);
  });
  window.addEventListener("online", () => sync());
  window.addEventListener("offline", () => describeQueue());
  adoptLegacyQueue();
  describeQueue();
  sync();
}
