// posecount app: plain JS, no framework, nothing loaded from elsewhere.
"use strict";
const $ = (id) => document.getElementById(id);
const client = sessionStorage.getItem("posecount-client") || crypto.randomUUID();
sessionStorage.setItem("posecount-client", client);
const app = { lang: new URLSearchParams(location.search).get("lang"), texts: {}, profile: "default", exercises: [], debug: false, session: null,
              frameSeq: 0, latency: [], captureLatency: [], frameTimes: [], scores: { pain: null, effort: null } };
window.posecount = app; // read by the browser tests (latency and frame rate)

const t = (key, args = {}) => (app.texts[key] || key).replace(/\{(\w+)\}/g, (_, k) => args[k]);
const q = (params = {}) => "?" + new URLSearchParams({ ...(app.lang ? { lang: app.lang } : {}), profile: app.profile,
                                                       client, ...params });

async function api(path, options = {}, params = {}) {
  const init = { ...options, headers: { "content-type": "application/json", ...(options.headers || {}) } };
  if (init.body && typeof init.body !== "string" && !(init.body instanceof Blob)) init.body = JSON.stringify(init.body);
  const res = await fetch(path + q(params), init);
  const data = res.headers.get("content-type")?.includes("json") ? await res.json() : null;
  if (!res.ok) throw new Error((data && data.error) || res.statusText);
  return data;
}

function say(text) { const m = $("message"); m.textContent = text; m.hidden = !text; if (text) setTimeout(() => { m.hidden = true; }, 6000); }
let shown = 0;  // views shown so far: a view loaded slowly does not cover one chosen meanwhile
function show(view) {
  shown += 1;
  for (const v of document.querySelectorAll(".view")) v.hidden = v.id !== view;
  $("bar").hidden = view === "exercise";
  $("to-home").hidden = view === "home"; $("to-physio").hidden = view === "physio";
}
function translate() {
  document.documentElement.lang = app.lang;
  for (const el of document.querySelectorAll("[data-t]")) el.textContent = t(el.dataset.t);
  $("lang").textContent = t("lang");
  $("new-name").placeholder = t("new_profile");
}

// ---- start-up and home ---------------------------------------------------------------------------
async function loadConfig() {
  const cfg = await api("/api/config");
  Object.assign(app, { lang: cfg.lang, texts: cfg.texts, exercises: cfg.exercises, debug: cfg.debug, restS: cfg.rest_s });
  if (!app.profileChosen) app.profile = localStorage.getItem("posecount-profile") || cfg.profile;
  if (!cfg.profiles.includes(app.profile)) app.profile = cfg.profile;
  fillProfiles(cfg.profiles);
  translate();
}
function fillProfiles(names) {
  const sel = $("profile"); sel.innerHTML = "";
  for (const n of names) sel.add(new Option(n, n, false, n === app.profile));
}

async function loadHome() {
  const before = shown;
  const data = await api("/api/home");
  $("due").textContent = data.due_text;
  const box = $("targets"); box.innerHTML = "";
  for (const target of data.targets) box.append(targetCard(target));
  drawSessions(data.last_sessions);
  drawChart(data.chart);
  if (shown === before) show("home");  // not if "Physiotherapist" or a start was clicked meanwhile
}
function targetCard(target) {
  const card = document.createElement("div"); card.className = "card";
  const side = target.side ? ` — ${t("side_" + target.side)}` : "";
  const hold = target.hold_s ? ` · ${t("hold", { s: target.hold_s }).replace(/ s\b/, "\u00a0s")}` : "";
  card.innerHTML = `<div class="what"></div><div class="amount"></div><div class="variant"></div><div class="why"></div>`;
  card.querySelector(".what").textContent = target.title + side;
  const amount = card.querySelector(".amount");
  amount.innerHTML = `<span class="n"></span> <span class="unit"></span>`;
  const sides = target.per_side ? Object.values(target.per_side) : null;
  const even = sides && sides.every((n) => n === sides[0]);
  amount.querySelector(".n").textContent = sides && !even ? "" : target.amount;
  amount.querySelector(".unit").textContent = sides ? (even ? `${t("reps")} ${t("per_side")}${hold}` :
    t("sides", { l: target.per_side.left, r: target.per_side.right }) + hold) : `${t("reps")}${hold}`;
  card.querySelector(".variant").textContent = target.label;
  card.querySelector(".why").textContent = target.reason;
  const start = document.createElement("button");
  start.textContent = t("start"); start.dataset.exercise = target.exercise; start.className = "start";
  start.onclick = () => startSession(target.exercise);
  card.append(start);
  return card;
}
function drawSessions(rows) {
  const table = $("sessions"); table.innerHTML = "";
  if (!rows.length) { table.innerHTML = `<tr><td>${t("no_sessions")}</td></tr>`; return; }
  table.insertRow().innerHTML = `<th>${t("date")}</th><th>${t("exercise")}</th><th>${t("count")}</th><th>${t("pain")}</th>`;
  for (const r of rows) {
    const tr = table.insertRow();
    for (const v of [`${r.date} ${r.time}`, r.title, r.reps, r.pain ?? "–"]) tr.insertCell().textContent = v;
  }
}
function drawChart(chart) {
  const W = 640, H = 260, L = 40, B = 30, from = Date.parse(chart.from), to = Date.parse(chart.to);
  const all = chart.series.flatMap((s) => s.points.map((p) => p[1]));
  if (!all.length) { $("chart").textContent = t("chart_empty"); return; }
  const ymax = Math.max(5, ...all), x = (d) => L + (W - L - 10) * (Date.parse(d) - from) / (to - from || 1);
  const y = (v) => H - B - (H - B - 10) * v / ymax;
  let svg = `<svg viewBox="0 0 ${W} ${H}" role="img"><g stroke="#ccc">`;
  for (let v = 0; v <= ymax; v += Math.ceil(ymax / 5)) svg += `<line x1="${L}" x2="${W - 10}" y1="${y(v)}" y2="${y(v)}"/><text x="4" y="${y(v) + 5}" fill="#555" stroke="none" font-size="14">${v}</text>`;
  svg += "</g>";
  chart.series.forEach((s, i) => {
    if (!s.points.length) return;
    const pts = s.points.map((p) => `${x(p[0]).toFixed(1)},${y(p[1]).toFixed(1)}`).join(" ");
    svg += `<polyline fill="none" stroke="${s.colour}" stroke-width="3" points="${pts}"/>`;
    for (const p of s.points) svg += `<circle cx="${x(p[0])}" cy="${y(p[1])}" r="5" fill="${s.colour}"/>`;
    svg += `<text x="${L + 10 + i * 200}" y="${H - 8}" fill="${s.colour}" font-size="15">${s.title}</text>`;
  });
  $("chart").innerHTML = svg + "</svg>";
}

// ---- the exercise --------------------------------------------------------------------------------
async function startSession(exercise) {
  try {
    document.documentElement.requestFullscreen?.().catch(() => {});
    app.session = await api("/api/session/start", { method: "POST", body: { exercise, client, profile: app.profile } });
  } catch (e) { say(e.message); return; }
  app.frameSeq = 0; app.scores = { pain: null, effort: null }; app.ended = false;
  const ex = app.exercises.find((e) => e.name === exercise);
  $("ex-title").textContent = ex ? ex.title : exercise;
  $("placement-img").src = `/static/place-${ex ? ex.start_position : "on_back"}.svg`;
  $("debug").hidden = !app.debug;
  show("exercise");
  pullFrames(); pollState();
}
async function pullFrames() {
  // One long response carries every frame: a 24-byte header (captured at, ready at: ms since the
  // epoch; frame number; JPEG length) and the JPEG. A frame still being drawn when a newer one has
  // come is skipped.
  let drawing = false;
  while (app.session && !app.ended) {
    try {
      const res = await fetch("/api/session/stream" + q(), { cache: "no-store" });
      if (!res.ok) { await sleep(500); continue; }
      const reader = res.body.getReader();
      let buf = new Uint8Array(0);
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        const joined = new Uint8Array(buf.length + value.length); joined.set(buf); joined.set(value, buf.length); buf = joined;
        while (buf.length >= 24) {
          const head = new DataView(buf.buffer, buf.byteOffset, 24), size = head.getUint32(20);
          if (buf.length < 24 + size) break;
          const jpeg = buf.slice(24, 24 + size), captured = head.getFloat64(0), shown = head.getFloat64(8);
          app.frameSeq = head.getUint32(16); buf = buf.slice(24 + size);
          if (!drawing) { drawing = true; draw(new Blob([jpeg], { type: "image/jpeg" }), shown, captured).finally(() => { drawing = false; }); }
        }
      }
    } catch (e) { await sleep(500); }
  }
}
async function draw(blob, shown, captured) {
  const bitmap = await createImageBitmap(blob);
  const canvas = $("frame");
  if (canvas.width !== bitmap.width || canvas.height !== bitmap.height) {
    canvas.width = bitmap.width; canvas.height = bitmap.height;
  }
  canvas.getContext("2d").drawImage(bitmap, 0, 0);
  bitmap.close();
  const now = Date.now();
  app.latency.push(now - shown); app.captureLatency.push(now - captured); app.frameTimes.push(performance.now());
  if (app.latency.length > 300) { app.latency.shift(); app.captureLatency.shift(); app.frameTimes.shift(); }
}
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
async function pollState() {
  while (app.session && !app.ended) {
    try { render(await api("/api/session/state")); } catch (e) { say(e.message); }
    await sleep(200);
  }
}
function render(s) {
  app.session = s;
  const goal = s.target ? ` / ${s.target}` : "";
  const ex = app.exercises.find((e) => e.name === s.exercise);
  const part = s.sets ? ` · ${s.set_no}/${s.sets}` : s.side ? ` · ${t("side_" + s.side)}` : "";
  $("ex-title").textContent = (ex ? ex.title : s.exercise) + part;
  $("count").textContent = `${s.count ?? 0}${goal}`;
  const left = s.held_s != null && s.hold_goal_s ? Math.max(0, Math.ceil(s.hold_goal_s - s.held_s)) : null;
  const rest = restLeft(s);
  $("hold").textContent = left != null ? (left > 0 ? `${left}` : "✓") : rest != null ? `${rest}` : "";
  $("cue").textContent = s.paused ? t("paused") : rest != null ? t("rest") : (s.message || (s.ready ? "" : t("get_ready")));
  $("placement").hidden = !!s.ready;
  $("pause").textContent = s.paused ? t("resume") : t("pause");
  $("mute").textContent = s.muted ? t("unmute") : t("mute");
  if (app.debug) $("debug").textContent = JSON.stringify({ fps: fps(), latency_ms: median(app.captureLatency), ...s });
  // The thread may still be closing the speaker when the session is already finished.
  if (s.error && (s.finished || !s.running)) say(s.error);
  if (s.finished) endScreen(s);
}
// Between the sets of an exercise done in sets (the step-up's 3 × 10): the rest counted down.
function restLeft(s) {
  const ex = app.exercises.find((e) => e.name === s.exercise);
  const n = s.count ?? 0;
  if (!ex || !ex.set_size || !s.target || n === 0 || n % ex.set_size || n >= s.target) { app.restFrom = null; return null; }
  if (app.restCount !== n) { app.restCount = n; app.restFrom = performance.now(); }
  const left = Math.ceil(app.restS - (performance.now() - app.restFrom) / 1000);
  return left > 0 ? left : null;
}
function median(xs) { if (!xs.length) return null; const a = [...xs].sort((p, q2) => p - q2); return a[a.length >> 1]; }
function fps() { const f = app.frameTimes; return f.length > 2 ? (f.length - 1) * 1000 / (f[f.length - 1] - f[0]) : null; }

// ---- the end screen ------------------------------------------------------------------------------
function endScreen(s) {
  app.ended = true;
  if (document.fullscreenElement) document.exitFullscreen().catch(() => {});
  $("summary").textContent = s.summary?.text || `${s.count ?? 0}`;
  const trouble = s.error || (s.end_reason === "camera stopped" ? t("camera_stopped") : "");
  $("kept").textContent = trouble ? `${trouble} ${t("session_kept")}` : "";
  $("saved").textContent = s.history_id ? t("saved") : "";
  for (const kind of ["pain", "effort"]) {
    const box = $(kind); box.innerHTML = "";
    for (let v = 0; v <= 10; v++) {
      const b = document.createElement("button"); b.textContent = v; b.dataset.value = v;
      b.onclick = () => score(kind, v); box.append(b);
    }
    box.hidden = !s.history_id; box.previousElementSibling.hidden = !s.history_id;
  }
  show("end");
}
async function score(kind, value) {
  app.scores[kind] = value;
  for (const b of $(kind).children) b.classList.toggle("chosen", +b.dataset.value === value);
  try { await api("/api/session/scores", { method: "POST", body: { [kind]: value } }); $("saved").textContent = t("saved"); }
  catch (e) { say(e.message); }
}
async function leaveEnd() {
  try { await api("/api/session/close", { method: "POST", body: {} }); } catch (e) { /* already gone */ }
  app.session = null; loadHome();
}

// ---- the physiotherapist -------------------------------------------------------------------------
async function loadPhysio() {
  show("physio");
  const data = await api("/api/videos");
  const box = $("videos"); box.innerHTML = "";
  for (const v of data.videos) {
    const card = document.createElement("div"); card.className = "card"; card.dataset.id = v.id;
    const what = v.phase === "done" ? `${v.reps} × ${v.exercise}` : v.phase === "failed" ? v.error : `${Math.round(v.progress * 100)} %`;
    card.innerHTML = `<div class="what"></div><div></div><div class="why"></div>`;
    card.children[0].textContent = `${t("recorded")} ${v.recorded}`; card.children[1].textContent = what;
    card.children[2].textContent = v.name;
    if (v.phase === "done") card.onclick = () => openVideo(v.id);
    box.append(card);
  }
}
async function upload(file) {
  if (!file) return;
  $("job").hidden = false; $("job-text").textContent = `${t("analysing")} ${file.name}`;
  try {
    const job = await api("/api/videos", { method: "PUT", body: file, headers: { "content-type": "application/octet-stream" } },
                          { name: file.name, modified: file.lastModified });
    await followJob(job.id);
  } catch (e) { say(e.message); }
}
async function followJob(id) {
  for (;;) {
    const job = await api(`/api/videos/${id}`);
    $("job-bar").value = job.progress;
    $("job-text").textContent = `${t("analysing")} ${job.name}: ${Math.round(job.progress * 100)} %` +
      (job.frames_per_s ? ` · ${job.frames_per_s} frames/s` : "");
    if (job.phase === "failed") { say(job.error); break; }
    if (job.phase === "done") { $("job").hidden = true; await loadPhysio(); openVideo(id); break; }
    await sleep(400);
  }
}
function openVideo(id) {
  $("viewer").hidden = false;
  $("player").src = `/api/videos/${id}/annotated.mp4` + q();
  $("report").src = `/api/videos/${id}/report.html` + q();
  $("print").onclick = () => $("report").contentWindow.print();
}

// ---- wiring --------------------------------------------------------------------------------------
function wire() {
  $("profile").onchange = (e) => { app.profile = e.target.value; app.profileChosen = true;
    localStorage.setItem("posecount-profile", app.profile); $("physio").hidden ? loadHome() : loadPhysio(); };
  $("lang").onclick = async () => { app.lang = app.lang === "nl" ? "en" : "nl"; await reloadTexts(); };
  $("to-physio").onclick = loadPhysio; $("to-home").onclick = loadHome;
  $("pause").onclick = togglePause;
  $("mute").onclick = () => api("/api/session/mute", { method: "POST", body: { muted: !app.session?.muted } }).then(render).catch((e) => say(e.message));
  $("stop").onclick = () => api("/api/session/stop", { method: "POST", body: {} }).catch((e) => say(e.message));
  $("back").onclick = leaveEnd;
  $("add-profile").onclick = addProfile;
  $("file").onchange = (e) => upload(e.target.files[0]);
  const drop = $("drop");
  drop.ondragover = (e) => { e.preventDefault(); drop.classList.add("over"); };
  drop.ondragleave = () => drop.classList.remove("over");
  drop.ondrop = (e) => { e.preventDefault(); drop.classList.remove("over"); upload(e.dataTransfer.files[0]); };
  document.addEventListener("keydown", onKey);
}
function togglePause() {
  api("/api/session/pause", { method: "POST", body: { paused: !app.session?.paused } }).then(render).catch((e) => say(e.message));
}
function onKey(e) {
  if (!$("exercise").hidden && e.code === "Space") { e.preventDefault(); togglePause(); }
  if (!$("end").hidden && /^[0-9]$/.test(e.key)) score(app.scores.pain == null ? "pain" : "effort", +e.key);
  if (!$("end").hidden && e.key === "Enter") leaveEnd();
}
async function addProfile() {
  $("profile-error").textContent = "";
  try {
    const data = await api("/api/profiles", { method: "POST", body: { name: $("new-name").value } });
    app.profile = data.profile; app.profileChosen = true; fillProfiles(data.profiles); $("new-name").value = "";
    loadPhysio();
  } catch (e) { $("profile-error").textContent = e.message; }
}
async function reloadTexts() {
  const cfg = await api("/api/config"); app.texts = cfg.texts; app.exercises = cfg.exercises; translate();
  $("physio").hidden ? loadHome() : loadPhysio();
}

wire();
// A click on "Physiotherapist" before the texts came keeps that view (it is reloaded with them).
loadConfig().then(() => ($("physio").hidden ? loadHome() : loadPhysio())).catch((e) => say(e.message));
