// Recording activities with no connection (loaded as a module on the activity form only).
//
// - Registers the activities service worker, which keeps the form and its files.
// - Gives every submission a UUID (a hidden field), so that sending it twice stores it once.
// - When the browser is offline, or the server cannot be reached, the form is kept in this
//   browser's localStorage instead of being posted, and sent to the JSON API
//   (POST /api/v1/activities, the same action as the page) when the connection returns.
// Without JavaScript the form posts as an ordinary form.

const QUEUE_KEY = "core20.activities.queue";
const form = document.getElementById("activity-form");
const statusBox = document.getElementById("offline-status");
const errorsBox = document.getElementById("offline-errors");

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

function describeQueue() {
  const queue = readQueue();
  const waiting = queue.length;
  if (!waiting) {
    say(navigator.onLine ? "" : "You are offline. Activities you save are kept on this device.");
    return;
  }
  say(
    `${waiting} ${waiting === 1 ? "activity is" : "activities are"} saved on this device, ` +
      (navigator.onLine ? "waiting to be sent." : "to be sent when you are back online."),
  );
}

function ensureUuid() {
  const field = form.querySelector("input[name=uuid]");
  if (field && !field.value) {
    field.value = newUuid();
  }
  return field;
}

// The form as the API's JSON (field names as in core20.engagement.forms.ActivityForm).
function formAsJson() {
  const data = new FormData(form);
  const caseFinding = (form.dataset.caseFinding || "").split(" ").filter(Boolean);
  const count = (value) => (value === null || value === "" ? null : Number(value));
  const body = {
    uuid: data.get("uuid"),
    site: data.get("site"),
    date: data.get("date") || null,
    kind: data.get("kind") || "",
    people_reached: count(data.get("people_reached")),
    place: data.get("place") || "",
    venue: data.get("venue") || "",
    clinical_areas: data.getAll("clinical_areas"),
    communities: data.getAll("communities"),
    breakdown: { age: {}, sex: {}, ethnicity: {} },
    mecc_conversations: count(data.get("mecc_conversations")) || 0,
    case_finding: {},
    signposting: {},
    languages: data.get("languages") || "",
    partners: data.get("partners") || "",
    notes: data.get("notes") || "",
  };
  for (const [name, value] of data.entries()) {
    if (value === "") {
      continue;
    }
    const match = /^(age|sex|ethnicity)_(.+)$/.exec(name);
    if (match) {
      body.breakdown[match[1]][match[2]] = count(value);
    } else if (name.startsWith("service_")) {
      body.signposting[name.slice("service_".length)] = count(value);
    } else if (caseFinding.includes(name)) {
      body.case_finding[name] = count(value);
    }
  }
  return body;
}

// The few checks that cannot wait for the server (it checks everything again).
function quickProblems(body) {
  const problems = [];
  if (!body.date) problems.push("Enter the date of the activity");
  if (!body.kind) problems.push("Select the type of activity");
  if (body.people_reached === null || !Number.isInteger(body.people_reached) || body.people_reached < 0) {
    problems.push("Enter the number of people reached, or 0");
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
      } else if (response.status === 422 || response.status === 400) {
        const answer = await response.json().catch(() => ({}));
        const messages = (answer.errors || []).map((e) => `${e.field}: ${e.message}`);
        failed.push(`Activity on ${item.date}: ${messages.join("; ") || answer.detail || "not accepted"}`);
      } else {
        break; // signed out or a server problem: keep everything and try again later
      }
    }
  } finally {
    syncing = false;
  }
  if (failed.length) {
    showProblems("Some activities saved on this device could not be sent", failed);
  }
  describeQueue();
}

function keep(body) {
  const queue = readQueue().filter((queued) => queued.uuid !== body.uuid);
  queue.push(body);
  writeQueue(queue);
  const site = form.querySelector("[name=site]");
  const siteValue = site ? site.value : "";
  form.reset();
  if (site) site.value = siteValue;
  form.querySelector("input[name=uuid]").value = newUuid();
  showProblems("", []);
  describeQueue();
  window.scrollTo(0, 0);
}

if (form) {
  ensureUuid();
  if ("serviceWorker" in navigator && form.dataset.swUrl) {
    navigator.serviceWorker.register(form.dataset.swUrl).catch(() => undefined);
  }
  form.addEventListener("submit", (event) => {
    ensureUuid();
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
  window.addEventListener("online", sync);
  window.addEventListener("offline", describeQueue);
  describeQueue();
  sync();
}
