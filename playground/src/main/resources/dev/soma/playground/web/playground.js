// Soma playground: the page. Training runs in Java; this script draws what the server streams
// (GET /api/sessions/ID/events, server-sent events) and sends the controls' changes (POST ...).
"use strict";

const FEATURES = [["x1", "x₁"], ["x2", "x₂"], ["x1^2", "x₁²"], ["x2^2", "x₂²"], ["x1*x2", "x₁·x₂"], ["sin(x1)", "sin x₁"], ["sin(x2)", "sin x₂"]];
const ACTIVATIONS = ["relu", "tanh", "sigmoid", "linear", "leakyrelu", "gelu"];
const LEARNING_RATES = [0.00001, 0.0001, 0.001, 0.003, 0.01, 0.03, 0.05, 0.1, 0.3, 1, 3, 10];
const REG_RATES = [0, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1];
const DROPOUTS = [0, 0.1, 0.2, 0.3, 0.5];
const CLASS_COLOURS = [[245, 147, 34], [8, 119, 189], [76, 175, 80], [156, 39, 176], [233, 30, 99], [0, 150, 136], [121, 85, 72], [96, 125, 139]];
// URL keys of the settings, short so that a shared link stays readable.
const URL_KEYS = { dataset: "data", points: "n", noise: "noise", trainPercent: "train", batchSize: "batch", seed: "seed",
  features: "f", layers: "layers", activations: "act", optimizer: "opt", learningRate: "lr", regularization: "reg",
  regularizationRate: "regRate", dropout: "dropout" };

const $ = id => document.getElementById(id);
const state = { id: null, snapshot: null, points: [], playing: false, events: null, selected: null, mouse: null,
  dirty: false, tab: "network", lifPoint: null, lif: null };

// ---- talking to the server ----

async function api(method, path, body, text) {
  const options = { method, headers: {} };
  if (body !== undefined) {
    options.body = text ? body : JSON.stringify(body);
    options.headers["Content-Type"] = text ? "text/csv" : "application/json";
  }
  const response = await fetch("/api" + path, options);
  const answer = response.status === 204 ? {} : await response.json();
  if (!response.ok) {
    throw new Error(answer.error || response.statusText);
  }
  return answer;
}

async function start(settings) {
  if (state.events) {
    state.events.close();
  }
  const body = settings && settings.preset ? settings : (settings || {});
  let created;
  try {
    created = await api("POST", "/sessions", body);
  } catch (e) {
    showError(e.message + " — starting with the defaults");
    created = await api("POST", "/sessions", {});
  }
  state.id = created.id;
  receive({ snapshot: created.snapshot, playing: false, error: null });
  state.events = new EventSource("/api/sessions/" + state.id + "/events");
  state.events.addEventListener("snapshot", event => receive(JSON.parse(event.data)));
  $("export").href = "/api/sessions/" + state.id + "/model";
}

async function send(path, body, text) {
  try {
    const answer = await api("POST", "/sessions/" + state.id + path, body, text);
    showError("");
    receive(answer);
    return true;
  } catch (e) {
    showError(e.message);
    state.settingsShown = null; // the controls show the session's settings again, not the refused value
    state.dirty = true;
    if (e.message.startsWith("no session")) {
      start(settingsFromUrl());
    }
    return false;
  }
}

function changeSettings(changes) {
  return send("/settings", changes);
}

function showError(message) {
  $("error").textContent = message;
}

// ---- receiving a snapshot, drawing it ----
// Messages only store the latest snapshot; a requestAnimationFrame loop draws it once, so a burst of
// messages costs one draw and drawing never falls behind the stream.

window.somaFrames = 0;    // frames drawn, each showing a snapshot not drawn before
window.somaSnapshots = 0; // snapshots received (stream and answers)
window.somaDrawMillis = 0; // time spent drawing them
window.somaAnimationFrames = 0; // animation frames offered by the browser, drawn or not

function receive(message) {
  if (message.snapshot.points) {
    state.points = message.snapshot.points;
  }
  state.snapshot = message.snapshot;
  state.playing = message.playing;
  state.dirty = true;
  window.somaSnapshots++;
  if (message.error) {
    showError("training stopped: " + message.error);
  }
}

function frame() {
  window.somaAnimationFrames++;
  if (state.dirty && state.snapshot) {
    const start = performance.now();
    state.dirty = false;
    render();
    window.somaFrames++;
    window.somaDrawMillis += performance.now() - start;
  }
  requestAnimationFrame(frame);
}

function setText(id, text) {
  const element = $(id);
  if (element.textContent !== String(text)) element.textContent = text;
}

function render() {
  const s = state.snapshot;
  setText("step-count", s.step);
  setText("epoch-count", s.epoch);
  showPlaying();
  const settings = JSON.stringify(s.settings) + s.problem;
  if (state.settingsShown !== settings) {
    state.settingsShown = settings;
    showSettings(s.settings);
    writeUrl(s.settings);
  }
  drawOutput();
  drawNetwork();
  drawLoss();
  showMetrics();
  showInspector();
  showLif();
}

function showPlaying() {
  const play = $("play");
  if (play.dataset.playing === String(state.playing)) return;
  play.dataset.playing = String(state.playing);
  play.innerHTML = state.playing ? icon("pause") + " pause" : icon("play") + " play";
  play.classList.toggle("playing", state.playing);
}

/** An icon of index.html's inline SVG symbols (the system fonts lack ▶ and ⏸ on some machines). */
function icon(name) {
  return "<svg class=\"icon\" aria-hidden=\"true\"><use href=\"#icon-" + name + "\"></use></svg>";
}

function fmt(x, digits = 3) {
  if (x === null || x === undefined || x === "NaN" || Number.isNaN(x)) return "–";
  return Number(x).toFixed(digits);
}

function showMetrics() {
  const e = state.snapshot.evaluation;
  setText("train-loss", fmt(e.trainLoss));
  setText("test-loss", fmt(e.testLoss));
  const pct = x => (x === "NaN" || x === null) ? "–" : (100 * x).toFixed(1) + " %";
  setText("train-accuracy", pct(e.trainAccuracy));
  setText("test-accuracy", pct(e.testAccuracy));
  const confusion = e.confusion;
  let html = "";
  if (confusion && confusion.length) {
    html = "<table><caption>test confusion (rows: actual, columns: predicted)</caption><tr><th></th>";
    confusion.forEach((_, k) => html += "<th>" + k + "</th>");
    html += "</tr>";
    confusion.forEach((row, a) => {
      html += "<tr><th>" + a + "</th>" + row.map((c, p) => "<td" + (a === p ? " class=\"hit\"" : "") + ">" + c + "</td>").join("") + "</tr>";
    });
    html += "</table>";
  }
  if (state.confusionShown !== html) {
    state.confusionShown = html;
    $("confusion").innerHTML = html;
  }
  const c = state.snapshot.collapsed;
  const settings = state.snapshot.settings;
  if (c && settings.layers.length > 0) { // a single neuron is one linear map anyway: nothing collapsed
    const names = settings.features;
    const plain = names.every(f => f === "x1" || f === "x2");
    setText("collapsed", "All σ linear: the network is one linear map\n" + c.map((row, o) =>
      "z" + (c.length > 1 ? o : "") + " = " + row.slice(0, -1).map((w, j) => fmt(w) + "·" + names[j]).join(" + ") + " + " + fmt(row[row.length - 1])
    ).join("\n") + (plain ? "\n(a line" + (settings.dataset === "xor" ? ": it cannot split XOR)" : ")") : ""));
  } else {
    setText("collapsed", "");
  }
}

// ---- the controls ----

function fillSelect(id, values, label) {
  $(id).innerHTML = values.map(v => "<option value=\"" + v + "\">" + (label ? label(v) : v) + "</option>").join("");
}

function showSettings(s) {
  for (const id of ["dataset", "optimizer", "regularization"]) {
    $(id).value = s[id];
  }
  for (const id of ["learningRate", "regularizationRate", "dropout"]) {
    ensureOption(id, s[id]);
    $(id).value = String(s[id]);
  }
  for (const id of ["points", "batchSize", "seed"]) {
    if (document.activeElement !== $(id)) $(id).value = s[id];
  }
  $("noise").value = s.noise; $("noise-value").textContent = s.noise;
  $("trainPercent").value = s.trainPercent; $("train-value").textContent = s.trainPercent;
  for (const [id] of FEATURES) {
    $("feature-" + id).checked = s.features.includes(id);
  }
  $("layer-count").textContent = s.layers.length + " hidden layer" + (s.layers.length === 1 ? "" : "s");
  const boxes = s.layers.map((n, i) => "<div class=\"layer-box\"><button data-layer=\"" + i + "\" data-delta=\"-1\">−</button> " + n +
    " <button data-layer=\"" + i + "\" data-delta=\"1\">+</button><br><select data-activation=\"" + i + "\">" +
    ACTIVATIONS.map(a => "<option" + (a === s.activations[i] ? " selected" : "") + ">" + a + "</option>").join("") + "</select></div>").join("");
  if ($("per-layer").dataset.shown !== boxes) {
    $("per-layer").innerHTML = boxes;
    $("per-layer").dataset.shown = boxes;
  }
  $("add-label").step = state.snapshot.problem === "regression" ? "0.1" : "1";
}

function ensureOption(id, value) {
  const select = $(id);
  if (![...select.options].some(o => o.value === String(value))) {
    select.add(new Option(String(value), String(value)));
  }
}

function setUpControls() {
  fillSelect("learningRate", LEARNING_RATES);
  fillSelect("regularizationRate", REG_RATES);
  fillSelect("dropout", DROPOUTS);
  $("features").innerHTML = FEATURES.map(([id, label]) =>
    "<label><input type=\"checkbox\" id=\"feature-" + id + "\" data-feature=\"" + id + "\"> " + label + "</label>").join("");
  $("features").addEventListener("change", () => {
    const chosen = FEATURES.map(f => f[0]).filter(id => $("feature-" + id).checked);
    changeSettings({ features: chosen });
  });
  for (const id of ["dataset", "optimizer", "regularization"]) {
    $(id).addEventListener("change", () => changeSettings({ [id]: $(id).value }));
  }
  for (const id of ["learningRate", "regularizationRate", "dropout"]) {
    $(id).addEventListener("change", () => changeSettings({ [id]: Number($(id).value) }));
  }
  for (const id of ["points", "batchSize", "seed", "noise", "trainPercent"]) {
    $(id).addEventListener("change", () => changeSettings({ [id]: Number($(id).value) }));
  }
  $("noise").addEventListener("input", () => $("noise-value").textContent = $("noise").value);
  $("trainPercent").addEventListener("input", () => $("train-value").textContent = $("trainPercent").value);
  $("regenerate").addEventListener("click", () => changeSettings({ seed: state.snapshot.settings.seed + 1 }));
  $("play").addEventListener("click", () => send("/control", { action: state.playing ? "pause" : "play" }));
  $("step").addEventListener("click", () => send("/control", { action: "step" }));
  $("reset").addEventListener("click", () => send("/control", { action: "reset" }));
  $("add-layer").addEventListener("click", () => {
    const s = state.snapshot.settings;
    changeSettings({ layers: [...s.layers, 2], activations: [...s.activations, s.activations[s.activations.length - 1] || "tanh"] });
  });
  $("remove-layer").addEventListener("click", () => {
    const s = state.snapshot.settings;
    if (s.layers.length) changeSettings({ layers: s.layers.slice(0, -1), activations: s.activations.slice(0, -1) });
  });
  $("per-layer").addEventListener("click", event => {
    const b = event.target.closest("button");
    if (!b) return;
    const s = state.snapshot.settings;
    const layers = [...s.layers];
    layers[Number(b.dataset.layer)] += Number(b.dataset.delta);
    changeSettings({ layers });
  });
  $("per-layer").addEventListener("change", event => {
    const s = state.snapshot.settings;
    const activations = [...s.activations];
    activations[Number(event.target.dataset.activation)] = event.target.value;
    changeSettings({ activations });
  });
  for (const b of document.querySelectorAll("#presets button")) {
    b.addEventListener("click", () => send("/settings", { preset: b.dataset.preset }));
  }
  $("classroom").addEventListener("change", () => {
    document.body.classList.toggle("classroom", $("classroom").checked);
    writeUrl(state.snapshot.settings);
  });
  $("csv").addEventListener("change", async () => {
    const file = $("csv").files[0];
    if (!file) return;
    if (file.size > 256 * 1024) {
      $("csv-error").textContent = "the CSV is larger than 256 KiB";
      return;
    }
    const upload = state.uploads = (state.uploads || 0) + 1;
    $("csv").value = "";
    const ok = await send("/csv", await file.text(), true);
    // only the latest upload speaks: an earlier one answered late must not clear its message
    if (upload === state.uploads) $("csv-error").textContent = ok ? "" : $("error").textContent;
  });
  $("output").addEventListener("click", event => {
    if ($("add-mode").checked) {
      const [x1, x2] = toPlane(event);
      send("/points", { x1, x2, label: Number($("add-label").value) });
    } else if (state.tab === "lif") {
      state.lifPoint = toPlane(event);
      state.dirty = true;
    }
  });
  for (const b of document.querySelectorAll("#tabs button")) b.addEventListener("click", () => showTab(b.dataset.tab));
  for (const k of LIF_PARAMETERS) $("lif-" + k).addEventListener("change", () => state.dirty = true);
  $("output").addEventListener("mousemove", event => { state.mouse = toPlane(event); showInspector(); });
  $("output").addEventListener("mouseleave", () => { state.mouse = null; showInspector(); });
  $("network").addEventListener("click", clickNetwork);
  $("share").addEventListener("click", event => {
    event.preventDefault();
    navigator.clipboard?.writeText(location.href);
    $("share").textContent = "link copied (it is also this page's address)";
  });
}

// ---- state in the URL ----

function writeUrl(s) {
  const params = new URLSearchParams();
  for (const [key, short] of Object.entries(URL_KEYS)) {
    const v = s[key];
    params.set(short, Array.isArray(v) ? v.join(",") : String(v));
  }
  if ($("classroom").checked) params.set("classroom", "1");
  const hash = "#" + params.toString();
  if (location.hash !== hash) history.replaceState(null, "", hash);
}

function settingsFromUrl() {
  const params = new URLSearchParams(location.hash.slice(1));
  if (params.get("classroom") === "1") {
    $("classroom").checked = true;
    document.body.classList.add("classroom");
  }
  if (params.has("preset")) return { preset: params.get("preset") };
  const settings = {};
  for (const [key, short] of Object.entries(URL_KEYS)) {
    if (!params.has(short)) continue;
    const v = params.get(short);
    if (key === "features" || key === "activations") settings[key] = v === "" ? [] : v.split(",");
    else if (key === "layers") settings[key] = v === "" ? [] : v.split(",").map(Number);
    else if (["dataset", "optimizer", "regularization"].includes(key)) settings[key] = v;
    else settings[key] = Number(v);
  }
  return settings;
}

// ---- drawing ----
// Each surface has its own canvas and ImageData, made once and reused; a byte becomes a pixel through
// a table of 256 precomputed RGBA words, written into the ImageData as one 32-bit store.

/** An ImageData word: bytes r, g, b, a in memory order (little-endian, as every browser's machine). */
const rgba = (r, g, b) => ((255 << 24) | (b << 16) | (g << 8) | r) >>> 0;

/** {@code colour} faded towards white: strength 0 is white, 1 the colour. */
function fade(colour, strength) {
  return colour.map(c => Math.round(255 + (c - 255) * strength));
}

/** Orange (0) through white (127.5) to blue (255), at {@code strength}: [r, g, b]. */
function diverging(byte, strength = 1) {
  const t = byte / 255 * 2 - 1;
  return fade(t < 0 ? CLASS_COLOURS[0] : CLASS_COLOURS[1], Math.abs(t) * strength);
}

const table = colourOf => Uint32Array.from({ length: 256 }, (_, v) => rgba(...colourOf(v)));
const NEURON_COLOURS = table(v => diverging(v));
const OUTPUT_COLOURS = table(v => diverging(v, 0.8));
/** Per class, by confidence byte: the class's colour, stronger the surer. */
const CLASS_TABLES = CLASS_COLOURS.map(c => table(v => fade(c, 0.25 + 0.6 * v / 255)));

/** A side × side picture: its canvas, ImageData, pixel words and byte buffers, all reused. */
class Surface {
  constructor(side) {
    this.side = side;
    this.canvas = document.createElement("canvas");
    this.canvas.width = side;
    this.canvas.height = side;
    this.context = this.canvas.getContext("2d");
    this.image = this.context.createImageData(side, side);
    this.pixels = new Uint32Array(this.image.data.buffer);
    this.bytes = new Uint8Array(side * side);
    this.confidence = new Uint8Array(side * side);
  }

  /** Colours the bytes of {@code base64} through {@code colours}, 256 words. */
  paint(base64, colours) {
    const bytes = decodeInto(base64, this.bytes);
    const pixels = this.pixels;
    for (let i = 0; i < pixels.length; i++) pixels[i] = colours[bytes[i]];
    this.context.putImageData(this.image, 0, 0);
    return this.canvas;
  }

  /** Several classes: the predicted class's colour at the strength of its probability. */
  paintClasses(base64, confidence64) {
    const classes = decodeInto(base64, this.bytes);
    const confidence = decodeInto(confidence64, this.confidence);
    const pixels = this.pixels;
    for (let i = 0; i < pixels.length; i++) pixels[i] = CLASS_TABLES[classes[i] % CLASS_TABLES.length][confidence[i]];
    this.context.putImageData(this.image, 0, 0);
    return this.canvas;
  }
}

const surfaces = { output: null, neurons: [] };

function surface(existing, side) {
  return existing && existing.side === side ? existing : new Surface(side);
}

function decodeInto(base64, out) {
  const text = atob(base64);
  const n = Math.min(text.length, out.length);
  for (let i = 0; i < n; i++) out[i] = text.charCodeAt(i);
  return out;
}

function outputImage() {
  const s = state.snapshot;
  surfaces.output = surface(surfaces.output, s.grid);
  return s.problem === "multiclass" ? surfaces.output.paintClasses(s.output, s.confidence)
    : surfaces.output.paint(s.output, OUTPUT_COLOURS);
}

function toPlane(event) {
  const canvas = $("output");
  const box = canvas.getBoundingClientRect();
  const s = state.snapshot;
  const u = (event.clientX - box.left) / box.width;
  const v = (event.clientY - box.top) / box.height;
  return [s.min + u * (s.max - s.min), s.max - v * (s.max - s.min)];
}

/** The points drawn once on a canvas of their own, again only when they or the square change. */
function pointsImage() {
  const s = state.snapshot;
  const canvas = $("output");
  const key = [s.min, s.max, s.problem, canvas.width, canvas.height].join();
  const cache = state.pointsImage;
  if (cache && cache.points === state.points && cache.key === key) return cache.canvas;
  const layer = cache ? cache.canvas : document.createElement("canvas");
  layer.width = canvas.width;
  layer.height = canvas.height;
  const ctx = layer.getContext("2d");
  ctx.clearRect(0, 0, layer.width, layer.height);
  const scale = canvas.width / (s.max - s.min);
  for (const p of state.points) {
    const x = (p.x1 - s.min) * scale;
    const y = (s.max - p.x2) * scale;
    const [r, g, b] = s.problem === "regression"
      ? diverging(Math.round((Math.max(-1, Math.min(1, p.label)) + 1) / 2 * 255))
      : CLASS_COLOURS[p.label % CLASS_COLOURS.length];
    const colour = "rgb(" + r + "," + g + "," + b + ")";
    ctx.beginPath();
    ctx.arc(x, y, 3.5, 0, 2 * Math.PI);
    ctx.fillStyle = p.train ? colour : "white";
    ctx.strokeStyle = p.train ? "white" : colour;
    ctx.lineWidth = p.train ? 1 : 2;
    ctx.fill();
    ctx.stroke();
  }
  state.pointsImage = { points: state.points, key, canvas: layer };
  return layer;
}

function drawOutput() {
  const s = state.snapshot;
  const canvas = $("output");
  const ctx = canvas.getContext("2d");
  ctx.imageSmoothingEnabled = false;
  ctx.drawImage(outputImage(), 0, 0, canvas.width, canvas.height);
  ctx.drawImage(pointsImage(), 0, 0);
  if (state.tab === "lif" && state.lifPoint) {
    // the LIF tab's point: the inputs that drive the spiking neuron
    const scale = canvas.width / (s.max - s.min);
    const x = (state.lifPoint[0] - s.min) * scale, y = (s.max - state.lifPoint[1]) * scale;
    ctx.strokeStyle = "#111";
    ctx.lineWidth = 2;
    ctx.beginPath();
    ctx.arc(x, y, 8, 0, 2 * Math.PI);
    ctx.moveTo(x - 13, y); ctx.lineTo(x - 4, y); ctx.moveTo(x + 4, y); ctx.lineTo(x + 13, y);
    ctx.moveTo(x, y - 13); ctx.lineTo(x, y - 4); ctx.moveTo(x, y + 4); ctx.lineTo(x, y + 13);
    ctx.stroke();
  }
  // axes ticks: the square's corners
  ctx.fillStyle = "#333";
  ctx.font = "11px system-ui, sans-serif";
  ctx.fillText(fmt(s.min, 1), 3, canvas.height - 4);
  ctx.fillText(fmt(s.max, 1), canvas.width - 22, canvas.height - 4);
  ctx.fillText(fmt(s.max, 1), 3, 12);
}

/** Where each neuron is drawn: {x, y, size} by [layer][neuron]. */
function layout() {
  const layers = state.snapshot.layers;
  const canvas = $("network");
  const size = 30;
  const columns = layers.length;
  const gap = (canvas.width - 40 - size) / Math.max(1, columns - 1);
  return layers.map((layer, l) => {
    const n = layer.neurons.length;
    const spacing = Math.min(size + 16, (canvas.height - 20) / n);
    const top = (canvas.height - spacing * (n - 1) - size) / 2;
    return layer.neurons.map((_, i) => ({ x: 20 + l * gap, y: top + i * spacing, size }));
  });
}

function drawNetwork() {
  const canvas = $("network");
  const ctx = canvas.getContext("2d");
  ctx.clearRect(0, 0, canvas.width, canvas.height);
  const layers = state.snapshot.layers;
  const places = layout();
  // links, under the neurons
  let largest = 0.0001;
  for (const layer of layers) for (const row of layer.weights || []) for (const w of row) largest = Math.max(largest, Math.abs(w));
  for (let l = 1; l < layers.length; l++) {
    layers[l].weights.forEach((row, to) => row.forEach((w, from) => {
      const a = places[l - 1][from];
      const b = places[l][to];
      ctx.beginPath();
      ctx.moveTo(a.x + a.size, a.y + a.size / 2);
      ctx.lineTo(b.x, b.y + b.size / 2);
      const [r, g, bl] = w < 0 ? CLASS_COLOURS[0] : CLASS_COLOURS[1];
      const selected = state.selected && state.selected.layer === l && state.selected.neuron === to;
      ctx.strokeStyle = "rgba(" + r + "," + g + "," + bl + "," + (selected ? 1 : 0.75) + ")";
      ctx.lineWidth = 0.5 + 6 * Math.abs(w) / largest;
      ctx.stroke();
    }));
  }
  ctx.imageSmoothingEnabled = false;
  ctx.font = "11px system-ui, sans-serif";
  const side = state.snapshot.neuronGrid;
  let k = 0;
  layers.forEach((layer, l) => {
    layer.neurons.forEach((neuron, i) => {
      const p = places[l][i];
      const picture = surfaces.neurons[k] = surface(surfaces.neurons[k], side);
      k++;
      ctx.drawImage(picture.paint(neuron.surface, NEURON_COLOURS), p.x, p.y, p.size, p.size);
      const selected = state.selected && state.selected.layer === l && state.selected.neuron === i;
      ctx.strokeStyle = selected ? "#000" : "#999";
      ctx.lineWidth = selected ? 2.5 : 1;
      ctx.strokeRect(p.x, p.y, p.size, p.size);
      if (l === 0) {
        ctx.fillStyle = "#333";
        ctx.fillText(neuron.label, p.x - 2, p.y - 3);
      }
    });
    const first = places[l][0];
    ctx.fillStyle = "#777";
    ctx.fillText(l === 0 ? "inputs" : l === layers.length - 1 ? "output" : layer.activation, first.x, canvas.height - 4);
  });
  surfaces.neurons.length = k;
}

function clickNetwork(event) {
  const canvas = $("network");
  const box = canvas.getBoundingClientRect();
  const x = (event.clientX - box.left) * canvas.width / box.width;
  const y = (event.clientY - box.top) * canvas.height / box.height;
  const places = layout();
  for (let l = 1; l < places.length; l++) {
    for (let i = 0; i < places[l].length; i++) {
      const p = places[l][i];
      if (x >= p.x && x <= p.x + p.size && y >= p.y && y <= p.y + p.size) {
        select(l, i, null);
        return;
      }
    }
  }
  // a link: the nearest within 5 pixels
  let best = null;
  const layers = state.snapshot.layers;
  for (let l = 1; l < layers.length; l++) {
    layers[l].weights.forEach((row, to) => row.forEach((_, from) => {
      const a = places[l - 1][from], b = places[l][to];
      const d = distanceToSegment(x, y, a.x + a.size, a.y + a.size / 2, b.x, b.y + b.size / 2);
      if (d < 5 && (!best || d < best.d)) best = { d, l, to, from };
    }));
  }
  if (best) select(best.l, best.to, best.from);
}

function distanceToSegment(px, py, ax, ay, bx, by) {
  const dx = bx - ax, dy = by - ay;
  const t = Math.max(0, Math.min(1, ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy)));
  return Math.hypot(px - ax - t * dx, py - ay - t * dy);
}

function select(layer, neuron, weight) {
  state.selected = { layer, neuron, weight };
  state.editorsShown = null;
  state.dirty = true;
}

function drawLoss() {
  const history = state.snapshot.history;
  const key = history.length + "|" + (history.length ? history[0].join() + "|" + history[history.length - 1].join() : "");
  if (state.lossShown === key) return;
  state.lossShown = key;
  const canvas = $("loss-chart");
  const ctx = canvas.getContext("2d");
  ctx.clearRect(0, 0, canvas.width, canvas.height);
  const rows = history.filter(r => Number.isFinite(r[2]));
  if (rows.length < 2) return;
  const maxStep = rows[rows.length - 1][0] || 1;
  let maxLoss = 0;
  for (const r of rows) maxLoss = Math.max(maxLoss, r[2], Number.isFinite(r[3]) ? r[3] : 0);
  maxLoss = maxLoss || 1;
  const line = (column, colour) => {
    ctx.beginPath();
    let started = false; // a row without this loss (no test points) must not start the line at the origin
    for (const r of rows) {
      if (!Number.isFinite(r[column])) continue;
      const x = 30 + (canvas.width - 40) * r[0] / maxStep;
      const y = canvas.height - 15 - (canvas.height - 25) * r[column] / maxLoss;
      started ? ctx.lineTo(x, y) : ctx.moveTo(x, y);
      started = true;
    }
    ctx.strokeStyle = colour;
    ctx.lineWidth = 1.5;
    ctx.stroke();
  };
  line(2, "#333");
  line(3, "#0877bd");
  ctx.fillStyle = "#555";
  ctx.font = "11px system-ui, sans-serif";
  ctx.fillText(fmt(maxLoss, 2), 2, 12);
  ctx.fillText("0", 18, canvas.height - 14);
  ctx.fillText("train", canvas.width - 90, 12);
  ctx.fillStyle = "#0877bd";
  ctx.fillText("test", canvas.width - 50, 12);
  ctx.fillStyle = "#555";
  ctx.fillText("step " + maxStep, canvas.width - 80, canvas.height - 2);
}

// ---- the neuron inspector ----

function erf(x) { // Abramowitz and Stegun 7.1.26, |error| < 1.5e-7
  const s = Math.sign(x), a = Math.abs(x), t = 1 / (1 + 0.3275911 * a);
  const y = 1 - ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-a * a);
  return s * y;
}

const SIGMA = {
  relu: z => Math.max(0, z), tanh: Math.tanh, sigmoid: z => 1 / (1 + Math.exp(-z)), linear: z => z,
  leakyrelu: z => z > 0 ? z : 0.01 * z, gelu: z => 0.5 * z * (1 + erf(z / Math.SQRT2)),
};

const FEATURE_FUNCTIONS = { "x1": (a, b) => a, "x2": (a, b) => b, "x1^2": (a, b) => a * a, "x2^2": (a, b) => b * b,
  "x1*x2": (a, b) => a * b, "sin(x1)": (a, b) => Math.sin(a), "sin(x2)": (a, b) => Math.sin(b) };

/** Every layer's values at (x1, x2): [inputs, hidden 1, …, output pre-activation z]. */
function forward(x1, x2) {
  const s = state.snapshot;
  const values = [s.settings.features.map(f => FEATURE_FUNCTIONS[f](x1, x2))];
  for (let l = 1; l < s.layers.length; l++) {
    const layer = s.layers[l];
    const before = values[l - 1];
    const z = layer.weights.map((row, o) => row.reduce((sum, w, j) => sum + w * before[j], layer.biases[o]));
    values.push(l === s.layers.length - 1 ? z : z.map(SIGMA[layer.activation]));
  }
  return values;
}

function showInspector() {
  const sel = state.selected;
  const s = state.snapshot;
  if (!sel || sel.layer >= s.layers.length || sel.neuron >= s.layers[sel.layer].neurons.length) {
    $("inspector").hidden = true;
    return;
  }
  $("inspector").hidden = false;
  const layer = s.layers[sel.layer];
  const isOutput = sel.layer === s.layers.length - 1;
  const sigma = isOutput ? (s.problem === "binary" ? "σ" : s.problem === "multiclass" ? "softmax" : "") : layer.activation;
  const inputNames = sel.layer === 1 ? s.layers[0].neurons.map(n => n.label) : s.layers[sel.layer - 1].neurons.map((_, j) => "h" + (sel.layer - 1) + "." + (j + 1));
  $("inspector-title").textContent = (isOutput ? "output " : "hidden layer " + sel.layer + ", neuron ") + (sel.neuron + 1) + " — " + (sigma || "identity");
  const w = layer.weights[sel.neuron];
  const b = layer.biases[sel.neuron];
  let text = "y = " + sigma + "(Σ wⱼ·xⱼ + b)\n  = " + sigma + "(" + w.map((wj, j) => fmt(wj) + "·" + inputNames[j]).join(" + ") + " + " + fmt(b) + ")";
  if (state.mouse) {
    const values = forward(state.mouse[0], state.mouse[1]);
    const x = values[sel.layer - 1];
    const z = w.reduce((sum, wj, j) => sum + wj * x[j], b);
    let y;
    if (!isOutput) y = SIGMA[layer.activation](z);
    else if (s.problem === "binary") y = 1 / (1 + Math.exp(-z));
    else if (s.problem === "multiclass") {
      const zs = values[values.length - 1], m = Math.max(...zs);
      y = Math.exp(z - m) / zs.reduce((t, v) => t + Math.exp(v - m), 0);
    } else y = z;
    text += "\nat (x₁, x₂) = (" + fmt(state.mouse[0], 2) + ", " + fmt(state.mouse[1], 2) + "):\n  = " + sigma + "(" +
      w.map((wj, j) => fmt(wj, 2) + "·" + fmt(x[j], 2)).join(" + ") + " + " + fmt(b, 2) + ")\n  = " + sigma + "(" + fmt(z) + ") = " + fmt(y);
  } else {
    text += "\n(move the mouse over the output to see the numbers at a point)";
  }
  setText("formula", text);
  const editors = $("weight-editors");
  const key = sel.layer + "/" + sel.neuron + "/" + w.length + "/" + sel.weight;
  if (state.editorsShown !== key) {
    state.editorsShown = key;
    editors.innerHTML = w.map((wj, j) => "<label>w from " + inputNames[j] + " <input type=\"number\" step=\"0.1\" data-from=\"" + j + "\"" +
      (sel.weight === j ? " class=\"selected\"" : "") + "></label>").join("") +
      "<label>b <input type=\"number\" step=\"0.1\" data-bias=\"1\"></label>";
    for (const input of editors.querySelectorAll("input")) {
      input.addEventListener("change", () => {
        if (input.value === "" || !Number.isFinite(Number(input.value))) return;
        const body = { layer: sel.layer - 1, to: sel.neuron, value: Number(input.value) };
        if (input.dataset.bias) body.bias = true; else body.from = Number(input.dataset.from);
        send("/weight", body);
      });
    }
  }
  // the live values, except in the field being typed in
  for (const input of editors.querySelectorAll("input")) {
    const value = fmt(input.dataset.bias ? b : w[Number(input.dataset.from)]);
    if (input !== document.activeElement && input.value !== value) input.value = value;
  }
}

// ---- the LIF tab ----
// The selected neuron's weighted sum at a point drives a leaky integrate-and-fire neuron, simulated by
// the server (POST /api/sessions/ID/lif); this draws its membrane trace, the threshold and the spikes.

const LIF_PARAMETERS = ["tauMs", "thresholdMv", "refractoryMs", "scaleMv"];
/** The shortest time between two simulations while the network trains, ms. */
const LIF_INTERVAL = 100;

function showTab(tab) {
  state.tab = tab;
  for (const b of document.querySelectorAll("#tabs button")) b.setAttribute("aria-selected", String(b.dataset.tab === tab));
  $("network-view").hidden = tab !== "network";
  $("lif-view").hidden = tab !== "lif";
  if (tab === "lif" && !state.lifPoint && state.snapshot) {
    const s = state.snapshot, q = s.min + 0.75 * (s.max - s.min);
    state.lifPoint = [q, q]; // the upper right quadrant's centre: (1, 1) of the gates
  }
  state.dirty = true;
}

/** The neuron the tab follows, [layer, neuron]: the one selected in the network, else the first output. */
function lifNeuron() {
  const s = state.snapshot, sel = state.selected;
  if (sel && sel.layer >= 1 && sel.layer < s.layers.length && sel.neuron < s.layers[sel.layer].neurons.length) {
    return [sel.layer, sel.neuron];
  }
  return [s.layers.length - 1, 0];
}

function showLif() {
  if (state.tab !== "lif" || !state.lifPoint) return;
  const [layer, neuron] = lifNeuron();
  const body = { layer, neuron, x1: state.lifPoint[0], x2: state.lifPoint[1] };
  for (const k of LIF_PARAMETERS) body[k] = Number($("lif-" + k).value);
  const question = JSON.stringify(body);
  if (state.lifAsked !== question || state.lifAskedOf !== state.snapshot) requestLif(body, question);
  if (state.lifDrawn !== state.lif) drawLif();
}

async function requestLif(body, question) {
  const now = performance.now();
  if (state.lifInFlight) return;
  if (state.lifAsked === question && now - state.lifSentAt < LIF_INTERVAL) {
    // the same question about a newer network: ask again a little later, not at every frame
    if (!state.lifRetry) state.lifRetry = setTimeout(() => { state.lifRetry = null; state.dirty = true; }, LIF_INTERVAL);
    return;
  }
  state.lifInFlight = true;
  state.lifSentAt = now;
  state.lifAsked = question;
  state.lifAskedOf = state.snapshot;
  try {
    state.lif = await api("POST", "/sessions/" + state.id + "/lif", body);
    setText("lif-error", "");
  } catch (e) {
    setText("lif-error", e.message);
  } finally {
    state.lifInFlight = false;
    state.dirty = true;
  }
}

function drawLif() {
  const r = state.lif;
  state.lifDrawn = r;
  if (!r) return;
  const names = state.snapshot.layers;
  setText("lif-which", r.layer === names.length - 1 ? "output neuron" + (names[r.layer].neurons.length > 1 ? " " + (r.neuron + 1) : "")
    : "hidden layer " + r.layer + ", neuron " + (r.neuron + 1));
  setText("lif-z", fmt(r.z));
  setText("lif-activation", r.activation);
  setText("lif-output", fmt(r.output));
  setText("lif-current", fmt(r.currentMv, 1));
  setText("lif-rate", fmt(r.rateHz, 1));
  setText("lif-closed-form", fmt(r.closedFormRateHz, 1));
  const unit = r.activation === "tanh" ? (r.output + 1) / 2 : r.activation === "sigmoid" || r.activation === "softmax" ? r.output
    : 1 / (1 + Math.exp(-r.output)); // unbounded σ: shown squashed
  $("lif-output-bar").style.width = (100 * Math.max(0, Math.min(1, unit))) + "%";
  const refractory = Number($("lif-refractoryMs").value);
  const ceiling = refractory > 0 ? 1000 / refractory : Math.max(1, r.closedFormRateHz); // the rate can approach 1/t_ref
  $("lif-rate-bar").style.width = (100 * Math.min(1, r.rateHz / ceiling)) + "%";

  const canvas = $("lif-trace");
  const ctx = canvas.getContext("2d");
  ctx.clearRect(0, 0, canvas.width, canvas.height);
  const left = 44, right = canvas.width - 10, top = 22, bottom = canvas.height - 26;
  const v = r.membraneMv, n = v.length, duration = n * r.dtMs;
  let low = 0, high = r.thresholdMv * 1.3;
  for (const x of v) { low = Math.min(low, x); high = Math.max(high, x); }
  const X = t => left + (right - left) * t / duration;
  const Y = mv => bottom - (bottom - top) * (mv - low) / (high - low);
  ctx.font = "11px system-ui, sans-serif";
  ctx.fillStyle = "#777";
  ctx.fillText("0", left - 10, bottom + 14);
  ctx.fillText(fmt(duration, 0) + " ms", right - 44, bottom + 14);
  ctx.fillText(fmt(high, 0) + " mV", 2, top + 4);
  ctx.fillText(fmt(low, 0) + " mV", 2, bottom);
  ctx.strokeStyle = "#ccc";
  ctx.lineWidth = 1;
  ctx.beginPath(); ctx.moveTo(left, Y(0)); ctx.lineTo(right, Y(0)); ctx.stroke();
  // the threshold
  ctx.setLineDash([5, 4]);
  ctx.strokeStyle = "#b00020";
  ctx.beginPath(); ctx.moveTo(left, Y(r.thresholdMv)); ctx.lineTo(right, Y(r.thresholdMv)); ctx.stroke();
  ctx.setLineDash([]);
  ctx.fillStyle = "#b00020";
  ctx.fillText("θ", right - 10, Y(r.thresholdMv) - 4);
  // the membrane, one segment per sample (sample k at (k + 1)·dt), each spike a stroke up to the top
  ctx.strokeStyle = "#183d4e";
  ctx.lineWidth = 1.2;
  ctx.beginPath();
  ctx.moveTo(X(0), Y(0));
  let next = 0;
  const spikes = r.spikeTimesMs;
  for (let k = 0; k < n; k++) {
    const t = (k + 1) * r.dtMs;
    while (next < spikes.length && spikes[next] <= t + 1e-9) {
      ctx.lineTo(X(spikes[next]), Y(r.thresholdMv));
      ctx.lineTo(X(spikes[next]), top);
      ctx.moveTo(X(spikes[next]), Y(v[k]));
      next++;
    }
    ctx.lineTo(X(t), Y(v[k]));
  }
  ctx.stroke();
  // the spike train along the top
  ctx.strokeStyle = "#0877bd";
  ctx.lineWidth = 1.5;
  ctx.beginPath();
  for (const t of spikes) { ctx.moveTo(X(t), 2); ctx.lineTo(X(t), 14); }
  ctx.stroke();
  ctx.fillStyle = "#555";
  ctx.fillText(spikes.length + (spikes.length === 1 ? " spike" : " spikes"), (left + right) / 2 - 20, bottom + 14);
}

setUpControls();
start(settingsFromUrl());
requestAnimationFrame(frame);
// A link pasted into the address bar of an open page changes only the hash: start that experiment.
window.addEventListener("hashchange", () => start(settingsFromUrl()));
