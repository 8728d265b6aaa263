// The Containers page in a real browser: log in, see the running container, stop it, see it stopped;
// see a container's health, pause, unpause and restart it; a wrong password is refused; an action on a
// container that is gone or no longer running says so on the page.
// Started by run-console-test, which starts the service and the container and passes:
//   CONSOLE_URL   http://127.0.0.1:<port>/system/console/containers
//   CONSOLE_USER, CONSOLE_PASSWORD
//   CONTAINER     the name of the running container
//   HEALTHY       the name of a running container with a healthcheck (`true`, every second)
//   DOCKER_CMD    a shell command that runs the docker CLI against the service (inspect, stop)
//   POD           the name of a running pod with one container besides its infra container
//   REMOVE_CMD    a shell command that removes that container behind the page's back
//   PROFILE_DIR   where the browser profiles go (fresh directories; removed by the caller)
// Prints "ok - ..." / "not ok - ..." per check and a last line "console-test: N passed, M failed".
import { chromium } from 'playwright-core';
import { execSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import path from 'node:path';

const env = (k) => {
  const v = process.env[k];
  if (!v) { throw new Error(`${k} is not set`); }
  return v;
};
const url = env('CONSOLE_URL');
const user = env('CONSOLE_USER');
const password = env('CONSOLE_PASSWORD');
const container = env('CONTAINER');
const healthy = env('HEALTHY');
const dockerCmd = env('DOCKER_CMD');
const pod = env('POD');
const removeCmd = env('REMOVE_CMD');
const profiles = env('PROFILE_DIR');

const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];

let passed = 0;
let failed = 0;
async function check(name, fn) {
  try {
    await fn();
    passed++;
    console.log(`ok - ${name}`);
  } catch (e) {
    failed++;
    console.log(`not ok - ${name}: ${String(e && e.message || e).split('\n').slice(0, 6).join('\n    ')}`);
  }
}
function expect(cond, what) {
  if (!cond) { throw new Error(what); }
}
const inspect = (name, format) => execSync(`${dockerCmd} inspect -f '${format}' ${name}`, { encoding: 'utf8' }).trim();

// a persistent context: Playwright's way to give chromium a fresh --user-data-dir of ours
async function open(credentials) {
  const dir = mkdtempSync(path.join(profiles, 'profile-'));
  return chromium.launchPersistentContext(dir, {
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: ARGS,
    httpCredentials: credentials,
  });
}

const contexts = [];
try {
  // headless chromium answers a refused Basic login with a net:: error (ERR_INVALID_AUTH_CREDENTIALS or
  // ERR_HTTP_RESPONSE_CODE_FAILURE) instead of a page: the console's 401 is read from the response event
  for (const [what, u, p] of [['a wrong password is refused', user, password + 'x'],
    ['the console\'s built-in admin/admin is refused', 'admin', 'admin']]) {
    await check(what, async () => {
      const ctx = await open({ username: u, password: p });
      contexts.push(ctx);
      const page = ctx.pages()[0] || await ctx.newPage();
      const statuses = [];
      page.on('response', (r) => { if (r.url() === url) { statuses.push(r.status()); } });
      let error = null;
      const resp = await page.goto(url).catch((e) => { error = e; return null; });
      if (resp) { statuses.push(resp.status()); }
      expect(statuses.length > 0 && statuses.every((s) => s === 401), `statuses ${JSON.stringify(statuses)}, expected only 401`);
      expect(!resp || resp.status() === 401, `status ${resp && resp.status()}`);
      expect(!error || /ERR_INVALID_AUTH_CREDENTIALS|ERR_HTTP_RESPONSE_CODE_FAILURE/.test(String(error)), `error ${error}`);
      expect(await page.locator('#jpod-containers').count() === 0, 'the containers table was shown');
      await ctx.close();
    });
  }

  const ctx = await open({ username: user, password });
  contexts.push(ctx);
  const page = ctx.pages()[0] || await ctx.newPage();
  page.setDefaultTimeout(60_000);
  const row = page.locator(`tr.jpod-container[data-name="${container}"]`);

  await check('log in: the Containers page shows the assembled engine', async () => {
    const resp = await page.goto(url);
    expect(resp.status() === 200, `status ${resp.status()}`);
    const status = (await page.locator('#jpod-engine-status').textContent()).trim();
    expect(status === 'assembled', `engine status "${status}"`);
    const version = (await page.locator('#jpod-version').textContent()).trim();
    expect(/^\d+\.\d+\.\d+/.test(version), `version "${version}"`);
  });

  await check('the running container is listed with its image, state and short ID', async () => {
    expect(await row.count() === 1, `no row for ${container}`);
    const state = (await row.locator('td.state').textContent()).trim();
    expect(state === 'running', `state "${state}"`);
    const image = (await row.locator('td.image').textContent()).trim();
    expect(image.includes('busybox'), `image "${image}"`);
    const id = (await row.locator('td.id').textContent()).trim();
    expect(/^[0-9a-f]{12}$/.test(id), `short ID "${id}"`);
  });

  const hrow = page.locator(`tr.jpod-container[data-name="${healthy}"]`);
  const text = async (loc) => (await loc.textContent()).trim();
  // clicks one of the row's buttons and answers the banner
  async function click(r, verb) {
    await Promise.all([page.waitForNavigation(), r.locator(`button.jpod-${verb}`).click()]);
    return text(page.locator('#jpod-message'));
  }

  await check('a container with a healthcheck shows "(healthy)" after "Up ...", one without shows nothing', async () => {
    let status = '';
    for (let i = 0; i < 60 && !/\(healthy\)$/.test(status); i++) {
      if (i > 0) { await page.waitForTimeout(500); }
      await page.goto(url);
      status = await text(hrow.locator('td.status'));
    }
    expect(/^Up .+ \(healthy\)$/.test(status), `status "${status}"`);
    const plain = await text(row.locator('td.status'));
    expect(/^Up [^()]+$/.test(plain), `status of the container without a healthcheck "${plain}"`);
    expect(await hrow.locator('button.jpod-pause').count() === 1, 'no Pause button');
    expect(await hrow.locator('button.jpod-restart').count() === 1, 'no Restart button');
    expect(await hrow.locator('button.jpod-unpause').count() === 0, 'an Unpause button on a running container');
  });

  await check('click Pause: "Paused" on the page, docker inspect says paused, Unpause instead of Pause', async () => {
    const message = await click(hrow, 'pause');
    expect(message === `Paused ${healthy}.`, `message "${message}"`);
    const status = await text(hrow.locator('td.status'));
    expect(status.startsWith('Paused'), `status "${status}"`);
    const state = await text(hrow.locator('td.state'));
    expect(state === 'paused', `state "${state}"`);
    const inspected = inspect(healthy, '{{.State.Status}}');
    expect(inspected === 'paused', `docker inspect says "${inspected}"`);
    expect(await hrow.locator('button.jpod-unpause').count() === 1, 'no Unpause button');
    expect(await hrow.locator('button.jpod-pause').count() === 0, 'a Pause button on a paused container');
  });

  await check('click Unpause: running again, Pause offered again', async () => {
    const message = await click(hrow, 'unpause');
    expect(message === `Unpaused ${healthy}.`, `message "${message}"`);
    const status = await text(hrow.locator('td.status'));
    expect(status.startsWith('Up '), `status "${status}"`);
    const inspected = inspect(healthy, '{{.State.Status}}');
    expect(inspected === 'running', `docker inspect says "${inspected}"`);
    expect(await hrow.locator('button.jpod-pause').count() === 1, 'no Pause button');
    expect(await hrow.locator('button.jpod-unpause').count() === 0, 'an Unpause button on a running container');
  });

  await check('click Restart: it runs again with a new StartedAt', async () => {
    const before = inspect(healthy, '{{.State.StartedAt}}');
    const message = await click(hrow, 'restart');
    expect(message === `Restarted ${healthy}.`, `message "${message}"`);
    const after = inspect(healthy, '{{.State.StartedAt}}');
    expect(after !== before && Date.parse(after) > Date.parse(before), `StartedAt "${before}" then "${after}"`);
    const inspected = inspect(healthy, '{{.State.Status}}');
    expect(inspected === 'running', `docker inspect says "${inspected}"`);
    const state = await text(hrow.locator('td.state'));
    expect(state === 'running', `state "${state}"`);
  });

  await check('Pause of a container stopped behind the page\'s back: the engine\'s refusal, no stack trace', async () => {
    execSync(`${dockerCmd} stop ${healthy}`, { stdio: 'ignore' });
    // the page still offers Pause, as it did before the container stopped
    const message = await click(hrow, 'pause');
    expect(/^Could not pause .*is not running; only running containers can be paused .*container state improper$/.test(message),
      `message "${message}"`);
    expect(await page.locator('#jpod-message.ui-state-error').count() === 1, 'the refusal is not shown as an error');
    const body = await page.locator('body').textContent();
    expect(!/Exception|\tat |\bat io\.jpod\./.test(body), 'the page shows an exception');
    const state = await text(hrow.locator('td.state'));
    expect(/^(exited|stopped)/.test(state), `state "${state}"`);
    expect(await hrow.locator('button.jpod-pause').count() === 0, 'a Pause button on a stopped container');
    expect(await hrow.locator('button.jpod-start').count() === 1, 'no Start button');
  });

  await check('the images table lists busybox with a size', async () => {
    const img = page.locator('tr.jpod-image', { hasText: 'busybox' });
    expect(await img.count() >= 1, 'no busybox image row');
    const size = (await img.first().locator('td.size').textContent()).trim();
    expect(/^[\d.]+ (B|kB|MB|GB)$/.test(size), `size "${size}"`);
  });

  await check('click Stop: the container is shown stopped', async () => {
    await Promise.all([page.waitForNavigation(), row.locator('button.jpod-stop').click()]);
    const message = (await page.locator('#jpod-message').textContent()).trim();
    expect(message.startsWith('Stopped'), `message "${message}"`);
    const state = (await page.locator(`tr.jpod-container[data-name="${container}"] td.state`).textContent()).trim();
    expect(/^(exited|stopped)/.test(state), `state "${state}"`);
    expect(await page.locator(`tr.jpod-container[data-name="${container}"] button.jpod-start`).count() === 1, 'no Start button');
  });

  await check('the Pods page lists the running pod with its containers; Remove takes them all', async () => {
    const pods = url.replace(/\/containers$/, '/pods');
    const resp = await page.goto(pods);
    expect(resp.status() === 200, `status ${resp.status()}`);
    const podRow = page.locator(`tr.jpod-pod[data-name="${pod}"]`);
    expect(await podRow.count() === 1, `no row for ${pod}`);
    const status = (await podRow.locator('td.status').textContent()).trim();
    expect(status === 'Running', `status "${status}"`);
    const members = (await podRow.locator('td.containers').textContent()).trim();
    expect(members.includes(`${pod}-web (running)`) && members.includes('[infra]'), `containers "${members}"`);
    page.once('dialog', (d) => {
      expect(d.message() === `Remove the pod ${pod} and its 2 containers?`, `question "${d.message()}"`);
      d.accept();
    });
    await Promise.all([page.waitForNavigation(), podRow.locator('button.jpod-remove').click()]);
    const message = (await page.locator('#jpod-message').textContent()).trim();
    expect(message === `Removed ${pod} and its 2 containers.`, `message "${message}"`);
    expect(await page.locator(`tr.jpod-pod[data-name="${pod}"]`).count() === 0, 'the removed pod is still listed');
    await page.goto(url);
    expect(await page.locator(`tr.jpod-container[data-name="${pod}-web"]`).count() === 0, 'its container is still listed');
  });

  // the events provider's bundle, stopped below through the console's own Bundles page
  const bundles = url.replace(/\/containers$/, '/bundles/jpod-events-file');

  await check('a form another site posts to the console is refused (the browser would send the credentials along)', async () => {
    // another origin, served by Playwright itself: nothing goes to the network
    const evil = await ctx.newPage();
    await evil.route('http://other-site.test/**', (route) => route.fulfill({
      contentType: 'text/html',
      body: `<form id="f" method="post" action="${bundles}"><input name="action" value="stop"></form>`,
    }));
    await evil.goto('http://other-site.test/');
    const [resp] = await Promise.all([evil.waitForNavigation(), evil.evaluate(() => document.getElementById('f').submit())]);
    expect(resp && resp.status() === 403, `status ${resp && resp.status()}, expected 403`);
    await evil.close();
    await page.goto(url);
    const status = (await page.locator('#jpod-engine-status').textContent()).trim();
    expect(status === 'assembled', `engine status "${status}": the bundle was stopped`);
  });

  await check('with a provider bundle stopped: "not assembled", the missing name, and a clear message for an action', async () => {
    const stopped = await page.request.post(bundles, { form: { action: 'stop' } });
    expect(stopped.ok(), `stopping jpod-events-file: status ${stopped.status()}`);
    await Promise.all([page.waitForNavigation(), row.locator('button.jpod-start').click()]);
    const message = (await page.locator('#jpod-message').textContent()).trim();
    expect(/there is no engine \(engine not assembled: missing providers events:file/.test(message), `message "${message}"`);
    const status = (await page.locator('#jpod-engine-status').textContent()).trim();
    expect(status === 'not assembled', `engine status "${status}"`);
    const missing = (await page.locator('#jpod-missing').textContent()).trim();
    expect(missing === 'events:file', `missing "${missing}"`);
    const body = await page.locator('body').textContent();
    expect(!/Exception|\tat /.test(body), 'the page shows an exception');
  });

  await check('the bundle started again: the engine is back with the container', async () => {
    const started = await page.request.post(bundles, { form: { action: 'start' } });
    expect(started.ok(), `starting jpod-events-file: status ${started.status()}`);
    let status = '';
    for (let i = 0; i < 60 && status !== 'assembled'; i++) {
      await page.waitForTimeout(500);
      await page.goto(url);
      status = (await page.locator('#jpod-engine-status').textContent()).trim();
    }
    expect(status === 'assembled', `engine status "${status}"`);
    expect(await row.count() === 1, `no row for ${container}`);
  });

  await check('Start on a container removed meanwhile: a clear message, no stack trace', async () => {
    execSync(removeCmd, { stdio: 'ignore' });
    await Promise.all([page.waitForNavigation(), row.locator('button.jpod-start').click()]);
    const message = (await page.locator('#jpod-message').textContent()).trim();
    expect(/no such container/.test(message), `message "${message}"`);
    const body = await page.locator('body').textContent();
    expect(!/Exception|\tat |\bat io\.jpod\./.test(body), 'the page shows an exception');
    expect(await page.locator(`tr.jpod-container[data-name="${container}"]`).count() === 0, 'the removed container is still listed');
  });

  await check('a form posted without the session\'s token does nothing', async () => {
    const resp = await page.request.post(url, { form: { action: 'stop', id: container, token: 'forged' }, maxRedirects: 0 });
    expect(resp.status() === 303, `status ${resp.status()}`);
    await page.goto(url);
    const message = (await page.locator('#jpod-message').textContent()).trim();
    expect(message.startsWith('Nothing was done'), `message "${message}"`);
  });
} catch (e) {
  failed++;
  console.log(`not ok - the browser: ${e && e.message || e}`);
} finally {
  for (const c of contexts) {
    await c.close().catch(() => {});
  }
}
console.log(`console-test: ${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
