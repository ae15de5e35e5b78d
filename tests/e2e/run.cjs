// End-to-end tests of the built dist/ in headless Chromium (playwright-core, Debian's
// /usr/bin/chromium; nothing is downloaded). Usage: node run.cjs URL SCREENSHOT_DIR
// Prints one line per test and closes with "e2e: N passed, N failed".
'use strict';
const { chromium } = require('playwright-core');
const path = require('path');

const url = process.argv[2];
const shots = process.argv[3] || '.';

const BROKEN = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  selector:
    matchLabels:
      app: web: broken
`;

async function main() {
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
      '--disable-dev-shm-usage'],
  });
  const results = [];
  async function test(name, fn) {
    try {
      await fn();
      results.push([name, null]);
      console.log(`ok   ${name}`);
    } catch (e) {
      results.push([name, e]);
      console.log(`FAIL ${name}: ${e && e.message ? e.message : e}`);
    }
  }
  function expect(cond, msg) {
    if (!cond) throw new Error(msg);
  }

  const page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
  const consoleErrors = [];
  page.on('console', (m) => { if (m.type() === 'error') consoleErrors.push(m.text()); });
  page.on('pageerror', (e) => consoleErrors.push(String(e)));

  await test('page loads with the header, the sample Deployment and no console errors', async () => {
    await page.goto(url, { waitUntil: 'load' });
    await page.waitForSelector('#editor', { timeout: 15000 });
    const title = await page.textContent('header.top h1');
    expect(title === 'kubeplay', `header says ${title}`);
    const yaml = await page.inputValue('#editor');
    expect(yaml.includes('kind: Deployment') && yaml.includes('name: web'), 'editor does not hold the sample');
    expect(consoleErrors.length === 0, `console errors: ${consoleErrors.join(' | ')}`);
  });

  await test('Apply on the sample prints deployment.apps/web created', async () => {
    await page.click('#apply');
    await page.waitForFunction(() => document.querySelector('#terminal')?.textContent.includes('created'), null, { timeout: 5000 });
    const text = await page.textContent('#terminal');
    expect(text.includes('deployment.apps/web created'), `terminal: ${text}`);
    await page.screenshot({ path: path.join(shots, 'e2e-applied.png') });
  });

  await test('the terminal runs kubectl: get nodes shows the k3s server', async () => {
    await page.fill('#command', 'kubectl get nodes');
    await page.press('#command', 'Enter');
    await page.waitForFunction(() => document.querySelector('#terminal')?.textContent.includes('k3s-server'), null, { timeout: 5000 });
    const text = await page.textContent('#terminal');
    expect(/k3s-server\s+Ready\s+control-plane,master/.test(text), `terminal: ${text}`);
  });

  await test('kubectl run creates a pod that the map shows Running after settle', async () => {
    await page.fill('#command', 'kubectl run hello --image=nginx');
    await page.press('#command', 'Enter');
    await page.waitForFunction(() => document.querySelector('#terminal')?.textContent.includes('pod/hello created'), null, { timeout: 5000 });
    await page.click('#settle');
    await page.waitForSelector('g.pod[data-pod="hello"][data-status="Running"]', { timeout: 5000 });
  });

  await test('the applied Deployment shows as three pod shapes', async () => {
    await page.click('#settle');
    await page.waitForFunction(() => document.querySelectorAll('g.pod[data-pod^="web-"][data-status="Running"]').length === 3, null, { timeout: 5000 });
    await page.screenshot({ path: path.join(shots, 'e2e-1280x720.png') });
    await page.setViewportSize({ width: 1920, height: 1080 });
    await page.screenshot({ path: path.join(shots, 'e2e-1920x1080.png') });
    await page.setViewportSize({ width: 1280, height: 720 });
  });

  await test('history: arrow up recalls the last command', async () => {
    await page.focus('#command');
    await page.press('#command', 'ArrowUp');
    const v = await page.inputValue('#command');
    expect(v === 'kubectl run hello --image=nginx', `recalled ${v}`);
    await page.fill('#command', '');
  });

  await test('the pods that answer requests flash on the map', async () => {
    await page.fill('#command', 'kubectl expose deployment web --port=80 --type=NodePort');
    await page.press('#command', 'Enter');
    await page.fill('#command', "traffic -n 30 http://10.0.0.2:$(kubectl get svc web -o jsonpath='{.spec.ports[0].nodePort}')/");
    await page.press('#command', 'Enter');
    await page.waitForFunction(() => document.querySelectorAll('g.pod.hit[data-pod^="web-"]').length >= 2, null, { timeout: 5000 });
    const answered = await page.$$eval('g.pod.hit', (els) => els.map((e) => e.getAttribute('data-pod')));
    const term = await page.textContent('#terminal');
    expect(answered.every((p) => term.includes(p)), `flashing ${answered} vs ${term.slice(-300)}`);
    expect(await page.$eval('li[data-svc="web"]', (e) => e.classList.contains('hit')), 'the Service the requests went through is marked');
    // Hovering the Service outlines the pods it sends traffic to.
    await page.hover('li[data-svc="web"]');
    await page.waitForFunction(() => document.querySelectorAll('g.pod.linked').length === 3, null, { timeout: 5000 });
    const linked = await page.$$eval('g.pod.linked', (els) => els.map((e) => e.getAttribute('data-pod')));
    expect(linked.every((p) => p.startsWith('web-')), `linked: ${linked}`);
    await page.screenshot({ path: path.join(shots, 'e2e-traffic-hits.png') });
    await page.mouse.move(5, 5);
  });

  await test('clicking a pod in the map describes it in the terminal', async () => {
    const pod = await page.getAttribute('[data-pod^="web-"]', 'data-pod');
    await page.click(`[data-pod="${pod}"]`);
    await page.waitForFunction((p) => document.querySelector('#terminal')?.textContent.includes(`kubectl describe pod ${p} -n default`), pod, { timeout: 5000 });
    const text = await page.textContent('#terminal');
    expect(text.includes(`Name:             ${pod}`) && text.includes('Events:'), 'describe output shown');
  });

  await test('the events timeline lists what happened, newest first, and filters by object', async () => {
    // Folded by default, so the map keeps its room; the summary opens it.
    await page.click('#events-details summary');
    await page.waitForFunction(() => document.querySelector('#events').textContent.includes('Scheduled'), null, { timeout: 5000 });
    await page.fill('#events-filter', 'pod/hello');
    const rows = await page.$$eval('#events li', (els) => els.map((e) => e.textContent));
    expect(rows.length > 0 && rows.every((r) => r.includes('pod/hello')), `filtered rows: ${rows.join(' | ')}`);
    await page.screenshot({ path: path.join(shots, 'e2e-events.png') });
    await page.fill('#events-filter', '');
    await page.click('#events-details summary');
  });

  await test('Tab completes verbs, types and names, and lists choices', async () => {
    await page.fill('#command', 'kubectl desc');
    await page.press('#command', 'Tab');
    expect(await page.inputValue('#command') === 'kubectl describe ', 'verb');
    await page.fill('#command', 'kubectl get po');
    await page.press('#command', 'Tab');
    const v = await page.inputValue('#command');
    expect(v === 'kubectl get po', `ambiguous stays: ${v}`);
    // The choices, sorted: the short name po, poddisruptionbudgets, pods.
    await page.waitForFunction(() => document.querySelector('#terminal')?.textContent.includes('po  poddisruptionbudgets  pods'), null, { timeout: 5000 });
    await page.fill('#command', 'kubectl logs hel');
    await page.press('#command', 'Tab');
    expect(await page.inputValue('#command') === 'kubectl logs hello ', 'pod name');
    await page.fill('#command', '');
  });

  await test('the terminal keeps shell variables and runs pipes', async () => {
    for (const line of ['export POD="$(kubectl get pods -l run=hello -o name)"', 'echo "pod is $POD"',
      'kubectl get pods --no-headers | grep -c web-']) {
      await page.fill('#command', line);
      await page.press('#command', 'Enter');
    }
    await page.waitForFunction(() => document.querySelector('#terminal')?.textContent.includes('pod is pod/hello'), null, { timeout: 5000 });
    const text = await page.textContent('#terminal');
    expect(/grep -c web-\s*3/.test(text), `terminal: ${text.slice(-300)}`);
    await page.screenshot({ path: path.join(shots, 'e2e-shell.png') });
  });

  await test('Apply again prints unchanged', async () => {
    await page.click('#apply');
    await page.waitForFunction(() => document.querySelector('#terminal')?.textContent.includes('unchanged'), null, { timeout: 5000 });
  });

  await test('broken YAML shows an error naming its line', async () => {
    await page.fill('#editor', BROKEN);
    await page.click('#apply');
    await page.waitForSelector('#marker', { timeout: 5000 });
    const term = await page.textContent('#terminal');
    expect(term.includes('yaml: line 8: mapping values are not allowed in this context'), `terminal: ${term}`);
    const marker = await page.textContent('#marker');
    expect(marker.includes('line 8'), `marker: ${marker}`);
    // The editor marks that line inline too, behind the text, with its line number.
    const marked = await page.$$eval('.editor-hl .hl-err', (els) => els.map((e) => e.textContent));
    expect(marked.length === 1 && /^\s*8 /.test(marked[0]) && marked[0].includes('app: web: broken'), `marked lines: ${JSON.stringify(marked)}`);
    await page.screenshot({ path: path.join(shots, 'e2e-broken-yaml.png') });
  });

  await test('the editor highlights YAML with line numbers', async () => {
    await page.click('#reset');
    const keys = await page.$$eval('.editor-hl .hl-key', (els) => els.map((e) => e.textContent));
    expect(keys.includes('apiVersion') && keys.includes('replicas'), `keys: ${keys.slice(0, 8)}`);
    const numbers = await page.$$eval('.editor-hl .hl-ln', (els) => els.length);
    const lines = (await page.inputValue('#editor')).split('\n').length;
    expect(numbers === lines, `${numbers} line numbers for ${lines} lines`);
  });

  await test('panes resize by dragging and fold from the keyboard', async () => {
    const before = (await page.$('.lesson')).boundingBox();
    const b = await (await page.$('.split-col')).boundingBox();
    await page.mouse.move(b.x + b.width / 2, b.y + 100);
    await page.mouse.down();
    await page.mouse.move(b.x + 120, b.y + 100, { steps: 4 });
    await page.mouse.up();
    const after = await (await page.$('.lesson')).boundingBox();
    const was = await before;
    expect(after.width > was.width + 60, `lesson pane ${was.width} -> ${after.width}`);
    await page.focus('.split-col');
    await page.keyboard.press('Enter');
    expect(await page.$eval('main.work', (m) => m.classList.contains('lesson-folded')), 'Enter folds the lesson pane');
    await page.keyboard.press('Escape');
    expect(!(await page.$eval('main.work', (m) => m.classList.contains('lesson-folded'))), 'Escape restores the layout');
  });

  await test('a fault injected from the map and recovered: stop and start a node', async () => {
    await page.click('g.node-fault');
    await page.waitForFunction(() => document.querySelector('#terminal')?.textContent.includes('node/k3s-server stopped'), null, { timeout: 5000 });
    await page.waitForFunction(() => document.querySelector('g.node-fault')?.textContent.includes('start node'), null, { timeout: 5000 });
    await page.fill('#command', 'sleep 60s');
    await page.press('#command', 'Enter');
    await page.waitForSelector('g.node.node-notready', { timeout: 5000 });
    await page.screenshot({ path: path.join(shots, 'e2e-fault-node.png') });
    await page.click('g.node-fault');
    await page.waitForFunction(() => document.querySelector('#terminal')?.textContent.includes('node/k3s-server started'), null, { timeout: 5000 });
    await page.click('#settle');
    await page.waitForFunction(() => !document.querySelector('g.node.node-notready'), null, { timeout: 5000 });
  });

  await test('rewind to an earlier command, then branch', async () => {
    await page.fill('#command', 'kubectl create deployment branchy --image=nginx --replicas=2');
    await page.press('#command', 'Enter');
    await page.fill('#command', 'kubectl scale deployment branchy --replicas=5');
    await page.press('#command', 'Enter');
    await page.click('#settle');
    await page.waitForFunction(() => document.querySelectorAll('g.pod[data-pod^="branchy-"]').length === 5, null, { timeout: 5000 });
    await page.click('#commands-details summary');
    // The newest command is listed first: rewind to just before the scale.
    const first = await page.textContent('#commands li:first-child .cmd-line');
    expect(first.includes('--replicas=5') || first === 'settle', `newest: ${first}`);
    const idx = await page.$$eval('#commands li .cmd-line', (els) => els.findIndex((e) => e.textContent.includes('scale deployment branchy')));
    await page.click(`#commands li:nth-child(${idx + 1}) button.rewind`);
    await page.waitForFunction(() => document.querySelector('#terminal')?.textContent.includes('Rewound to'), null, { timeout: 5000 });
    await page.click('#settle');
    await page.waitForFunction(() => document.querySelectorAll('g.pod[data-pod^="branchy-"]').length === 2, null, { timeout: 5000 });
    await page.fill('#command', 'kubectl scale deployment branchy --replicas=3');
    await page.press('#command', 'Enter');
    await page.click('#settle');
    await page.waitForFunction(() => document.querySelectorAll('g.pod[data-pod^="branchy-"]').length === 3, null, { timeout: 5000 });
    await page.screenshot({ path: path.join(shots, 'e2e-rewind.png') });
    await page.click('#commands-details summary');
  });

  await test('lesson 1 step 1 is completed through the terminal alone', async () => {
    await page.selectOption('#lesson-select', '0');
    await page.waitForSelector('#step', { timeout: 5000 });
    // The goal is judged live: nothing met before the learner acts.
    await page.waitForSelector('#goal', { timeout: 5000 });
    const goalBefore = await page.textContent('#goal');
    expect(/Goal · 0 of \d+ met now/.test(goalBefore), `goal before: ${goalBefore}`);
    await page.fill('#command', 'kubectl run web --image=nginx');
    await page.press('#command', 'Enter');
    await page.click('#settle');
    await page.waitForFunction(() => /Goal · [1-9]\d* of \d+ met now/.test(document.querySelector('#goal')?.textContent || ''), null, { timeout: 5000 });
    await page.screenshot({ path: path.join(shots, 'e2e-lesson-goal.png') });
    await page.click('#check');
    await page.waitForSelector('#verdict.passed', { timeout: 10000 });
    await page.screenshot({ path: path.join(shots, 'e2e-lesson-passed.png') });
  });

  await test('a failing check names its cause', async () => {
    await page.selectOption('#lesson-select', 'sandbox');
    await page.selectOption('#lesson-select', '0');
    await page.waitForSelector('#step', { timeout: 5000 });
    // Progress resumes at step 2; go back to step 1 for the wrong answer.
    const title = await page.textContent('.step-title');
    expect(title.includes('Step 2 of 2'), `resumed at: ${title}`);
    await page.click('text=← Previous');
    await page.fill('#command', 'kubectl run web --image=ngnix');
    await page.press('#command', 'Enter');
    await page.click('#check');
    await page.waitForSelector('#verdict.failed', { timeout: 10000 });
    const v = await page.textContent('#verdict');
    expect(v.includes('image ngnix cannot be pulled'), `verdict: ${v}`);
    await page.screenshot({ path: path.join(shots, 'e2e-lesson-failed.png') });
  });

  await test('reload keeps lesson progress', async () => {
    await page.reload({ waitUntil: 'load' });
    await page.waitForSelector('#lesson-select', { timeout: 10000 });
    const opt = await page.textContent('#lesson-select option[value="0"]');
    await page.selectOption('#lesson-select', '0');
    await page.waitForSelector('#step', { timeout: 5000 });
    const title = await page.textContent('.step-title');
    expect(title.includes('Step 2 of 2'), `after reload: ${title} (${opt})`);
  });

  await test('a lesson pack loads from a file, sanitised; a bad pack gives a list of errors', async () => {
    const pack = `pack: acme-onboarding
lessons:
  - id: hello
    title: "Acme: our first pod"
    minutes: 3
    body: |
      # Welcome to Acme
      <script>window.__pwned = 1</script>
      <img src="x" onerror="window.__pwned = 2">
      Read [the handbook](javascript:window.__pwned=3) first.
    steps:
      - id: run
        task: Start a pod named \`acme\` running nginx.
        input: commands
        checks:
          - exists: { kind: Pod, name: acme }
        solutions:
          - commands: ["kubectl run acme --image=nginx"]
        wrong:
          - commands: ["kubectl run other --image=nginx"]
            feedback: "there is no pod named acme"
          - commands: ["kubectl create deployment acme --image=nginx"]
            feedback: "there is no pod named acme"
`;
    await page.setInputFiles('#pack-file', { name: 'acme.yaml', mimeType: 'text/yaml', buffer: Buffer.from(pack) });
    await page.waitForFunction(() => document.querySelector('#terminal')?.textContent.includes('Loaded the lesson pack'), null, { timeout: 5000 });
    await page.selectOption('#lesson-select', '0');
    await page.waitForSelector('#step', { timeout: 5000 });
    const prose = await page.textContent('aside.lesson');
    expect(prose.includes('Welcome to Acme'), 'the pack lesson is shown');
    const bad = await page.evaluate(() => ({
      pwned: window.__pwned,
      scripts: document.querySelectorAll('aside.lesson script').length,
      js: document.querySelectorAll('aside.lesson a[href^="javascript"]').length,
      handlers: document.querySelectorAll('aside.lesson [onerror]').length,
    }));
    expect(bad.pwned === undefined && bad.scripts === 0 && bad.js === 0 && bad.handlers === 0, `unsafe markup survived: ${JSON.stringify(bad)}`);
    await page.fill('#command', 'kubectl run acme --image=nginx');
    await page.press('#command', 'Enter');
    await page.click('#check');
    await page.waitForSelector('#verdict.passed', { timeout: 10000 });
    await page.setInputFiles('#pack-file', { name: 'broken.yaml', mimeType: 'text/yaml', buffer: Buffer.from('pack: x\nlessons:\n  - id: 1\n') });
    await page.waitForFunction(() => document.querySelector('#terminal')?.textContent.includes('could not be loaded'), null, { timeout: 5000 });
    await page.click('#builtin-lessons');
    await page.waitForFunction(() => document.querySelector('#lesson-select').textContent.includes('A first Pod'), null, { timeout: 5000 });
  });

  await test('a lesson pack loads from a URL (?pack=URL); a failing URL says why', async () => {
    const pack = 'pack: url-pack\nlessons:\n  - id: one\n    title: "From a URL"\n    minutes: 2\n    body: "# Fetched"\n    steps:\n      - id: s\n        task: Start a pod named `u`.\n        input: commands\n        checks:\n          - exists: { kind: Pod, name: u }\n        solutions:\n          - commands: ["kubectl run u --image=nginx"]\n        wrong:\n          - commands: ["kubectl run x --image=nginx"]\n            feedback: "there is no pod named u"\n          - commands: ["kubectl run y --image=nginx"]\n            feedback: "there is no pod named u"\n';
    const p2 = await browser.newPage({ viewport: { width: 1280, height: 720 } });
    const cors = { 'access-control-allow-origin': '*' };
    await p2.route('https://packs.example/url-pack.yaml', (r) => r.fulfill({ status: 200, contentType: 'text/yaml', body: pack, headers: cors }));
    await p2.route('https://packs.example/missing.yaml', (r) => r.fulfill({ status: 404, body: 'no', headers: cors }));
    const errors = [];
    p2.on('pageerror', (e) => errors.push(String(e)));
    await p2.goto(`${url}?pack=${encodeURIComponent('https://packs.example/url-pack.yaml')}`, { waitUntil: 'load' });
    await p2.waitForFunction(() => document.querySelector('#terminal')?.textContent.includes('Loaded the lesson pack "url-pack"'), null, { timeout: 15000 });
    expect((await p2.textContent('#lesson-select')).includes('From a URL'), 'the fetched lesson is in the menu');
    p2.once('dialog', (d) => d.accept('https://packs.example/missing.yaml'));
    await p2.click('#pack-url');
    await p2.waitForFunction(() => document.querySelector('#terminal')?.textContent.includes('HTTP 404'), null, { timeout: 5000 });
    expect(errors.length === 0, `page errors: ${errors.join(' | ')}`);
    await p2.close();
  });

  await test('share puts a link in the address bar that rebuilds the identical cluster', async () => {
    await page.selectOption('#lesson-select', 'sandbox');
    for (const line of ['kubectl create deployment shared --image=nginx --replicas=2', 'settle', 'kubectl get pods -o name']) {
      await page.fill('#command', line);
      await page.press('#command', 'Enter');
    }
    await page.click('#share');
    await page.waitForFunction(() => location.hash.startsWith('#s='), null, { timeout: 5000 });
    const link = page.url();
    const text = await page.textContent('#terminal');
    expect(text.includes('Link copied'), 'the page says the link was copied');
    const other = await browser.newPage({ viewport: { width: 1280, height: 720 } });
    const otherErrors = [];
    other.on('pageerror', (e) => otherErrors.push(String(e)));
    await other.goto(link, { waitUntil: 'load' });
    await other.waitForFunction(() => document.querySelector('#terminal')?.textContent.includes('the cluster is identical'), null, { timeout: 15000 });
    const names = await other.$$eval('[data-pod^="shared-"]', (els) => els.map((e) => e.getAttribute('data-pod')));
    expect(names.length === 2, `the shared pods are drawn: ${names}`);
    await other.screenshot({ path: path.join(shots, 'e2e-shared-link.png') });
    // A tampered link: a clear message, a working page.
    await other.goto(link.slice(0, link.length - 9) + '@@', { waitUntil: 'load' });
    await other.reload({ waitUntil: 'load' });
    await other.waitForFunction(() => document.querySelector('#terminal')?.textContent.includes('could not be opened'), null, { timeout: 15000 });
    await other.fill('#command', 'kubectl get nodes');
    await other.press('#command', 'Enter');
    await other.waitForFunction(() => document.querySelector('#terminal')?.textContent.includes('k3s-server'), null, { timeout: 5000 });
    expect(otherErrors.length === 0, `page errors: ${otherErrors.join(' | ')}`);
    await other.close();
    await page.evaluate(() => history.replaceState(null, '', location.pathname));
  });

  await test('presenter mode steps a demo forward and back, with the same screens', async () => {
    await page.setViewportSize({ width: 1920, height: 1080 });
    await page.selectOption('#demo-select', { label: 'Self-healing: a node dies, the Deployment does not' });
    await page.waitForSelector('.app.presenter #demo-step', { timeout: 5000 });
    expect((await page.textContent('#demo-step')).startsWith('0/'), 'starts at step 0');
    await page.focus('body');
    for (let i = 0; i < 4; i++) await page.keyboard.press('ArrowRight');
    await page.waitForFunction(() => document.querySelector('#demo-step').textContent.startsWith('4/'), null, { timeout: 5000 });
    const at4 = await page.textContent('#terminal');
    expect(at4.includes('deployment.apps/web created') && at4.includes('Running'), 'steps ran: apply, settle, get pods');
    const cap = await page.textContent('#demo-caption');
    expect(cap.includes('scheduler spreads'), `caption: ${cap}`);
    await page.screenshot({ path: path.join(shots, 'e2e-presenter.png') });
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowLeft');
    await page.waitForFunction(() => document.querySelector('#demo-step').textContent.startsWith('4/'), null, { timeout: 5000 });
    expect(await page.textContent('#terminal') === at4, 'going back replays to the identical screen');
    await page.selectOption('#demo-select', '');
    await page.waitForFunction(() => !document.querySelector('.app.presenter'), null, { timeout: 5000 });
    await page.setViewportSize({ width: 1280, height: 720 });
  });

  await test('a big settle runs in chunks with a progress line, and stop leaves the cluster part-way', async () => {
    const big = await browser.newPage({ viewport: { width: 1280, height: 720 } });
    big.on('pageerror', (e) => consoleErrors.push(String(e)));
    await big.goto(url, { waitUntil: 'load' });
    await big.waitForSelector('#command', { timeout: 15000 });
    await big.click('#speed-0');
    await big.fill('#command', 'kubectl create deployment big --image=nginx --replicas=5000');
    await big.press('#command', 'Enter');
    await big.waitForFunction(() => document.querySelector('#terminal')?.textContent.includes('deployment.apps/big created'), null, { timeout: 5000 });
    // In the page: press settle, and the moment the progress line appears (before the next
    // chunk runs), read it and press stop.
    const progress = await big.evaluate(() => new Promise((resolve) => {
      const seen = () => {
        const el = document.querySelector('#settling');
        if (!el) return false;
        const text = el.textContent;
        document.querySelector('#stop-settle').click();
        resolve(text);
        return true;
      };
      const obs = new MutationObserver(() => { if (seen()) obs.disconnect(); });
      obs.observe(document.body, { childList: true, subtree: true, characterData: true });
      document.querySelector('#settle').click();
      setTimeout(() => { obs.disconnect(); resolve(null); }, 10000);
    }));
    expect(progress && /settling… 200 events, \+/.test(progress), `progress: ${progress}`);
    await big.waitForFunction(() => document.querySelector('#terminal')?.textContent.includes('Stopped after'), null, { timeout: 5000 });
    expect(!(await big.$('#settling')), 'the progress line is gone after stop');
    const text = await big.textContent('#terminal');
    expect(/Stopped after 200 events, .* of virtual time: the cluster has not settled/.test(text), `terminal: ${text.slice(-300)}`);
    // The rest runs when asked: settle again finishes the job.
    await big.click('#settle');
    await big.waitForFunction(() => !document.querySelector('#settling') && (document.querySelector('#terminal')?.textContent.split('$ settle').length || 0) >= 3, null, { timeout: 30000 });
    await big.screenshot({ path: path.join(shots, 'e2e-settled-big.png') });
    await big.close();
  });

  await test('no console errors after all interactions', async () => {
    expect(consoleErrors.length === 0, `console errors: ${consoleErrors.join(' | ')}`);
  });

  await browser.close();
  const failed = results.filter(([, e]) => e).length;
  console.log(`e2e: ${results.length - failed} passed, ${failed} failed`);
  process.exit(failed ? 1 : 0);
}

main().catch((e) => {
  console.log(`FAIL e2e harness: ${e && e.stack ? e.stack : e}`);
  console.log('e2e: 0 passed, 1 failed');
  process.exit(1);
});
