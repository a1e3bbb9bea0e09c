// The reading room as a person uses it, in Debian's Chromium.
//
// Starts `fond serve` on a copy of the real corpus (a fresh archive, an
// ephemeral port on loopback), then drives the browser. Screenshots go to
// e2e/artifacts/. Needs: the release binary (FOND_BIN, default
// ../target/release/fond), /usr/bin/chromium (CHROMIUM to override) and
// ../../shared/corpus beside the repository.

import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawn, execFileSync } from "node:child_process";
import { mkdtempSync, mkdirSync, existsSync, rmSync, cpSync, chmodSync, appendFileSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";

const here = dirname(fileURLToPath(import.meta.url));
const bin = process.env.FOND_BIN ?? join(here, "..", "target", "release", "fond");
const corpus = join(here, "..", "..", "shared", "corpus");
const executablePath = process.env.CHROMIUM ?? "/usr/bin/chromium";
const artifacts = join(here, "artifacts");

const editor = { name: "erika", password: "an editor's long password" };
let server;
let base;
let browser;
let archive;
// The corpus copied, so that the correction scenario can change a source
// and ingest again.
let sources;

// `fond serve` on the archive; resolves to its base URL.
function startServer() {
  server = spawn(bin, ["--archive", archive, "serve", sources, "--addr", "127.0.0.1:0"], {
    stdio: ["ignore", "ignore", "pipe"],
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("fond serve did not open within 60 s")), 60_000);
    let seen = "";
    server.stderr.on("data", (chunk) => {
      seen += chunk.toString();
      const m = seen.match(/open at (http:\/\/[^\s]+)\//);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
    server.on("exit", (code) => reject(new Error(`fond serve exited (${code}): ${seen}`)));
  });
}

async function stopServer() {
  const exited = new Promise((resolve) => server.once("exit", resolve));
  server.kill();
  await exited;
}

before(async () => {
  assert.ok(existsSync(bin), `the fond binary is not at ${bin}: build it with cargo build --release`);
  assert.ok(existsSync(corpus), `the corpus is not at ${corpus}`);
  mkdirSync(artifacts, { recursive: true });
  archive = mkdtempSync(join(tmpdir(), "fond-e2e-"));
  sources = mkdtempSync(join(tmpdir(), "fond-e2e-sources-"));
  cpSync(corpus, sources, { recursive: true });
  for (const f of readdirSync(sources)) chmodSync(join(sources, f), 0o644);
  // An editor's account for the editors' scenarios: the archive first
  // (serve finds the sources unchanged and goes on), then the account.
  execFileSync(bin, ["--archive", archive, "ingest", sources], { stdio: "ignore" });
  execFileSync(bin, ["--archive", archive, "user", "add", editor.name, "--role", "editor", "--password-stdin"], {
    input: `${editor.password}\n`,
  });
  base = await startServer();
  browser = await chromium.launch({ executablePath, args: ["--no-sandbox"] });
});

after(async () => {
  await browser?.close();
  server?.kill();
  if (archive) rmSync(archive, { recursive: true, force: true });
  if (sources) rmSync(sources, { recursive: true, force: true });
});

test("the home page shows the collections, the timeline and the chapters", async () => {
  const page = await browser.newPage();
  await page.goto(`${base}/`);
  assert.match(await page.title(), /Stalin's Letters to Molotov/);
  assert.equal(await page.locator("svg rect").count() > 10, true, "bars of the timeline");
  assert.equal(await page.locator("a[href='/doc/letters-to-molotov/chapter/1925']").count(), 1);
  await page.screenshot({ path: join(artifacts, "home.png"), fullPage: true });
  await page.close();
});

test("letter 1 reads as the edition prints it, and a note opens in place", async () => {
  const page = await browser.newPage();
  await page.goto(`${base}/browse?year=1925&kind=letter`);
  await page.locator("a[href='/doc/letters-to-molotov/1']").click();
  await page.waitForURL(/\/doc\/letters-to-molotov\/1$/);
  assert.equal(await page.locator("h1").innerText(), "Letter 1");
  const head = await page.locator("dl.head").innerText();
  assert.match(head, /\[12 July 1925\]/);
  assert.match(head, /Rostov 7\/12/);
  const pop = page.locator("#pop-2");
  assert.equal(await pop.isVisible(), false, "the note is closed at first");
  await page.locator("#call-2").hover();
  assert.equal(await pop.isVisible(), true, "hovering the call opens the note");
  assert.match(await pop.innerText(), /A pood is 36 pounds/);
  await page.screenshot({ path: join(artifacts, "letter-1-note-open.png"), fullPage: false });
  await page.close();
});

test("a person link leads to the person's page and back to documents", async () => {
  const page = await browser.newPage();
  await page.goto(`${base}/doc/letters-to-molotov/33`);
  await page.locator("dl.head a", { hasText: "Bukharin" }).click();
  await page.waitForURL(/\/person\//);
  assert.match(await page.locator("h1").innerText(), /Bukharin/);
  const docs = page.locator("li a[href^='/doc/']");
  assert.ok((await docs.count()) > 20, "the documents that name him");
  await page.screenshot({ path: join(artifacts, "person-bukharin.png"), fullPage: false });
  await docs.first().click();
  await page.waitForURL(/\/doc\//);
  await page.close();
});

test("browsing filters by year, kind and correspondent", async () => {
  const page = await browser.newPage();
  await page.goto(`${base}/browse`);
  await page.fill("input[name=year]", "1926");
  await page.selectOption("select[name=kind]", "coded-telegram");
  await page.locator("form button").click();
  await page.waitForURL(/year=1926/);
  assert.match(await page.locator("main p").first().innerText(), /^7 documents/);
  await page.fill("input[name=to]", "Bukharin");
  await page.selectOption("select[name=kind]", "");
  await page.fill("input[name=year]", "");
  await page.locator("form button").click();
  await page.waitForURL(/to=Bukharin/);
  assert.match(await page.locator("main p").first().innerText(), /^4 documents/);
  await page.close();
});

test("pages read with scripts disabled", async () => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto(`${base}/doc/letters-to-molotov/4`);
  assert.equal(await page.locator(".u2").count() > 0, true, "double underlining");
  await page.locator("#call-1").focus();
  assert.equal(await page.locator("#pop-1").isVisible(), true, "a focused call opens its note without scripts");
  assert.equal(await page.locator("#note-3").count(), 1, "the notes below the text");
  await page.screenshot({ path: join(artifacts, "letter-4-no-scripts.png"), fullPage: true });
  await context.close();
});

test("searching: the query box, a facet to click, paging, the query in the URL", async () => {
  const page = await browser.newPage();
  await page.goto(`${base}/`);
  await page.locator("nav a", { hasText: "Search" }).click();
  await page.waitForURL(/\/search$/);
  await page.fill("input[name=q]", "grain");
  await page.locator("form.search button").click();
  await page.waitForURL(/\/search\?q=grain$/);
  const count = await page.locator("p.count").innerText();
  const total = Number(count.match(/^(\d+) documents match/)[1]);
  assert.ok(total > 20, `many documents speak of grain (${count})`);
  assert.ok((await page.locator(".hit mark").count()) > 0, "matched words are highlighted");
  await page.screenshot({ path: join(artifacts, "search-grain.png"), fullPage: false });

  // Click the year facet 1929: the query grows and stays in the URL.
  const facet = page.locator("[data-facet=year] a", { hasText: "1929" });
  const facetCount = Number(await page.locator("[data-facet=year] li", { hasText: "1929" }).locator(".n").innerText());
  await facet.click();
  await page.waitForURL(/q=grain\+year%3A1929/);
  assert.equal(await page.locator("input[name=q]").inputValue(), "grain year:1929");
  const narrowed = Number((await page.locator("p.count").innerText()).match(/^(\d+)/)[1]);
  assert.equal(narrowed, facetCount, "the facet said how many it would find");
  await page.screenshot({ path: join(artifacts, "search-facet-1929.png"), fullPage: false });

  // Back to all grain documents, then the next page.
  await page.goBack();
  await page.waitForURL(/\/search\?q=grain$/);
  const firstPage = await page.locator(".hit > a").allInnerTexts();
  await page.locator(".pages a[rel=next]").click();
  await page.waitForURL(/page=2/);
  assert.equal(await page.locator("ol.hits").getAttribute("start"), "11");
  const secondPage = await page.locator(".hit > a").allInnerTexts();
  assert.ok(secondPage.length > 0);
  assert.ok(secondPage.every((t) => !firstPage.includes(t)), "page 2 holds other documents");
  await page.close();
});

test("search works with scripts disabled, and a bad query is pointed at", async () => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto(`${base}/search?q=${encodeURIComponent("mentions:Бухарин year:1929")}`);
  assert.match(await page.locator("p.count").innerText(), /^\d+ documents match/);
  const response = await page.goto(`${base}/search?q=${encodeURIComponent("grain AND (")}`);
  assert.equal(response.status(), 400);
  assert.match(await page.locator("pre.error").innerText(), /never closed/);
  await context.close();
});

test("a letter's two witnesses read side by side", async () => {
  const page = await browser.newPage();
  await page.goto(`${base}/doc/letters-to-molotov/33`);
  await page.locator("a", { hasText: "Read the witnesses side by side" }).click();
  await page.waitForURL(/\/witnesses\/letters-to-molotov\/33$/);
  assert.equal(await page.locator("table.sbs thead th").count(), 2);
  assert.ok((await page.locator("table.sbs .var").count()) > 5, "differences marked");
  await page.screenshot({ path: join(artifacts, "witnesses-33.png"), fullPage: false });
  await page.close();
});

async function logIn(page) {
  await page.goto(`${base}/login`);
  await page.fill("input[name=name]", editor.name);
  await page.fill("input[name=password]", editor.password);
  await page.locator("form.login button").click();
  await page.waitForURL(`${base}/`);
  assert.match(await page.locator("header .who").innerText(), /erika \(editor\)/);
}

async function logOut(page) {
  await page.locator("form.logout button").click();
  await page.waitForURL(`${base}/`);
  assert.equal(await page.locator("header a[href='/login']").count(), 1, "logged out");
}

// Last in the file: the letter is closed for a while, and released at the end.
test("an editor restricts a letter from its page; logged out it is gone from search, browse and its correspondent's page", async () => {
  const doc = "/doc/letters-to-molotov/5";
  const page = await browser.newPage();
  const search = `${base}/search?q=${encodeURIComponent('"council of elders"')}`;
  const hits = () => page.locator(`.hit a[href='${doc}']`).count();
  const links = () => page.locator(`a[href='${doc}']`).count();
  await page.goto(search);
  assert.equal(await hits(), 1, "found before");
  await logIn(page);
  await page.goto(`${base}${doc}`);
  const molotov = await page.locator("dl.head a", { hasText: "Molotov" }).getAttribute("href");
  assert.match(molotov, /^\/person\//);
  assert.match(await page.locator("p.visibility").innerText(), /Now: public/);
  await page.selectOption("form.visibility select[name=action]", "restrict");
  await page.fill("form.visibility input[name=why]", "end-to-end test: rights not cleared");
  await page.locator("form.visibility button").click();
  await page.waitForURL(`${base}${doc}`);
  assert.match(await page.locator("p.visibility").innerText(), /Now: restricted — erika/);
  await page.screenshot({ path: join(artifacts, "letter-5-restricted.png"), fullPage: false });
  await logOut(page);

  const gone = await page.goto(`${base}${doc}`);
  assert.equal(gone.status(), 404, "the letter answers like a missing one");
  await page.goto(search);
  assert.equal(await hits(), 0, "gone from search");
  assert.match(await page.locator("p.count").innerText(), /No documents match/);
  await page.goto(`${base}/browse?year=1925&kind=letter`);
  assert.equal(await links(), 0, "gone from browse");
  await page.goto(`${base}${molotov}`);
  assert.ok((await page.locator("li a[href^='/doc/']").count()) > 10, "the correspondent's other letters are there");
  assert.equal(await links(), 0, "gone from the correspondent's page");

  await logIn(page);
  await page.goto(`${base}${doc}`);
  await page.selectOption("form.visibility select[name=action]", "release");
  await page.fill("form.visibility input[name=why]", "end-to-end test: cleared");
  await page.locator("form.visibility button").click();
  await page.waitForURL(`${base}${doc}`);
  assert.match(await page.locator("p.visibility").innerText(), /Now: public/);
  await logOut(page);
  await page.goto(search);
  assert.equal(await hits(), 1, "back in search once released");
  await page.goto(`${base}/browse?year=1925&kind=letter`);
  assert.ok((await links()) > 0, "back in browse");
  await page.close();
});

// After the restriction scenario: it restarts the reading room.
test("an editor corrects letter 20's date from its page; it shows on the page and in search, and holds after a re-ingest", async () => {
  const doc = "/doc/letters-to-molotov/20";
  const page = await browser.newPage();
  const search = () => `${base}/search?q=${encodeURIComponent("stomachache")}`;
  const hitMeta = () => page.locator(`.hit:has(a[href='${doc}']) .meta`).innerText();
  await page.goto(search());
  assert.match(await hitMeta(), /1926-06-15/, "the editors' date before");
  await logIn(page);
  await page.goto(`${base}${doc}`);
  assert.match(await page.locator("dl.head").innerText(), /\[15 June 1926\]/);
  await page.selectOption("form.correct select[name=field]", "date");
  await page.fill("form.correct input[name=value]", "1926-06-16");
  await page.fill("form.correct input[name=why]", "end-to-end test: the dateline reads the 16th");
  await page.locator("form.correct button").click();
  await page.waitForURL(`${base}${doc}#correct`);
  assert.match(await page.locator("dl.head").innerText(), /\[16 June 1926\]/, "on the page at once");
  assert.match(await page.locator("ol.history").innerText(), /date: .*1926-06-15.* → .*1926-06-16.*\(applied\)/s);
  assert.match(await page.locator("ol.history").innerText(), /by erika/);
  await page.screenshot({ path: join(artifacts, "letter-20-corrected.png"), fullPage: false });
  await page.goto(search());
  assert.match(await hitMeta(), /1926-06-16/, "in search at once");

  // Re-ingest after a change elsewhere in the sources: the whole edition is
  // derived again, and the correction is applied on top.
  await logOut(page);
  await stopServer();
  appendFileSync(join(sources, "to-all-party-organisations-1920.web.txt"), "\n");
  const out = execFileSync(bin, ["--archive", archive, "ingest", sources]).toString();
  assert.doesNotMatch(out, /unchanged/i, "the changed source is ingested again");
  base = await startServer();
  await page.goto(`${base}${doc}`);
  assert.match(await page.locator("dl.head").innerText(), /\[16 June 1926\]/, "still there after re-ingest");
  await page.goto(search());
  assert.match(await hitMeta(), /1926-06-16/, "and in search");
  await page.close();
});
