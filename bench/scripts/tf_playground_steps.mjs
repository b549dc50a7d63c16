// TensorFlow Playground's training rate on the default network: the peer of
// dev.soma.bench.PlaygroundSpeed ("steps"), run offline in Node on the Playground's own nn.ts and
// dataset.ts, transpiled at run time (their source is not copied into this repository).
//
// The network and the loop are the Playground's (src/playground.ts, reset() and oneStep()): inputs x1
// and x2, hidden 4-2 tanh, tanh output, no regularization, Errors.SQUARE, learning rate 0.03, batch 10;
// circle data, noise 0, 500 points shuffled and split 50 % → 250 training, 250 test. One step is one
// batch: forwardProp + backProp on 10 points, then updateWeights. As oneStep() does, the training points
// are taken in order and each pass over them (25 steps) ends with the train and test losses
// (PlaygroundSpeed's steps/s includes the same per-pass losses). Math.random is replaced by a seeded
// generator (the page uses seedrandom), so weights and data repeat from run to run.
//
// Setup, once (Node ≥ 18; Debian: apt-get install -y nodejs npm):
//   npm install --prefix bench/scripts/node typescript@5
// and the Playground's source, e.g. git clone https://github.com/tensorflow/playground /tmp/playground
// Run:
//   node bench/scripts/tf_playground_steps.mjs --nn /tmp/playground/src/nn.ts \
//       --dataset /tmp/playground/src/dataset.ts [--seconds 5] [--rounds 3]
// It warms up for --seconds, then times --rounds rounds of --seconds each and prints every round and
// the median steps/s.

import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

function fail(message) {
  console.error('soma: ' + message);
  process.exit(2);
}

const options = { nn: null, dataset: null, seconds: 5, rounds: 3 };
const argv = process.argv.slice(2);
for (let i = 0; i < argv.length; i++) {
  const name = argv[i].replace(/^--/, '');
  if (!(name in options) || i + 1 >= argv.length) {
    fail(`unknown option or missing value: ${argv[i]} (options: --nn FILE --dataset FILE --seconds S --rounds N)`);
  }
  options[name] = argv[++i];
}
if (!options.nn || !options.dataset) {
  fail('give the Playground\'s sources: --nn PATH/src/nn.ts --dataset PATH/src/dataset.ts');
}
const seconds = Number(options.seconds);
const rounds = Number(options.rounds);
if (!(seconds > 0) || !(Number.isInteger(rounds) && rounds > 0)) {
  fail('--seconds must be > 0 and --rounds a whole number > 0');
}

const here = path.dirname(fileURLToPath(import.meta.url));
let ts;
try {
  ts = createRequire(path.join(here, 'node', 'package.json'))('typescript');
} catch (e) {
  fail('TypeScript is not installed: npm install --prefix bench/scripts/node typescript@5');
}

// Transpiles one .ts file to CommonJS and evaluates it; d3 is a stub (the circle data does not use it).
function load(file, modules) {
  let source;
  try {
    source = readFileSync(file, 'utf8');
  } catch (e) {
    fail(`cannot read ${file}: ${e.message}`);
  }
  const js = ts.transpileModule(source, {
    compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2020 },
  }).outputText;
  const module = { exports: {} };
  const require = (name) => {
    if (name in modules) return modules[name];
    fail(`${file} imports ${name}, which this script does not provide`);
  };
  new Function('module', 'exports', 'require', js)(module, module.exports, require);
  return module.exports;
}

// mulberry32, seeded: stands in for Math.seedrandom(state.seed)
let seed = 1;
Math.random = () => {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};

const d3 = new Proxy({}, { get: (_, key) => fail(`dataset.ts used d3.${String(key)}, which this script stubs`) });
const nn = load(options.nn, {});
const dataset = load(options.dataset, { d3 });
for (const name of ['buildNetwork', 'forwardProp', 'backProp', 'updateWeights', 'Activations', 'Errors']) {
  if (!(name in nn)) fail(`${options.nn} has no ${name}: is it the Playground's src/nn.ts?`);
}
if (!('classifyCircleData' in dataset) || !('shuffle' in dataset)) {
  fail(`${options.dataset} has no classifyCircleData/shuffle: is it the Playground's src/dataset.ts?`);
}

// generateData() and reset() of playground.ts with the default State
const data = dataset.classifyCircleData(500, 0);
dataset.shuffle(data);
const trainData = data.slice(0, 250);
const testData = data.slice(250);
const network = nn.buildNetwork([2, 4, 2, 1], nn.Activations.TANH, nn.Activations.TANH, null, ['x', 'y'], false);
const learningRate = 0.03;
const regularizationRate = 0;
const batchSize = 10;

function getLoss(points) {
  let loss = 0;
  for (const point of points) {
    const output = nn.forwardProp(network, [point.x, point.y]);
    loss += nn.Errors.SQUARE.error(output, point.label);
  }
  return loss / points.length;
}

let cursor = 0;
let lossTrain = 0;
let lossTest = 0;
function step() {
  for (let b = 0; b < batchSize; b++) {
    const point = trainData[cursor++];
    nn.forwardProp(network, [point.x, point.y]); // constructInput(x, y) with x1, x2 on
    nn.backProp(network, point.label, nn.Errors.SQUARE);
  }
  nn.updateWeights(network, learningRate, regularizationRate);
  if (cursor === trainData.length) {
    cursor = 0;
    lossTrain = getLoss(trainData);
    lossTest = getLoss(testData);
  }
}

function run(limitSeconds) {
  const start = process.hrtime.bigint();
  const end = start + BigInt(Math.round(limitSeconds * 1e9));
  let steps = 0;
  let now = start;
  while (now < end) {
    for (let i = 0; i < 100; i++) step();
    steps += 100;
    now = process.hrtime.bigint();
  }
  return steps / (Number(now - start) / 1e9);
}

console.log(`TensorFlow Playground (Node ${process.version}, TypeScript ${ts.version}): default network `
  + '(2 inputs, 4-2 tanh, batch 10, lr 0.03, circle, 250 training points)');
run(seconds); // warm-up
const rates = [];
for (let r = 0; r < rounds; r++) {
  const rate = run(seconds);
  rates.push(rate);
  console.log(`round ${r + 1}: ${Math.round(rate).toLocaleString('en-US')} steps/s`);
}
rates.sort((a, b) => a - b);
const median = rounds % 2 ? rates[(rounds - 1) / 2] : (rates[rounds / 2 - 1] + rates[rounds / 2]) / 2;
console.log(`median: ${Math.round(median).toLocaleString('en-US')} steps/s `
  + `(train loss ${lossTrain.toFixed(4)}, test loss ${lossTest.toFixed(4)})`);
