// Opens a run's report.html in headless Chromium (playwright-core) and checks
// what a reader gets: no console errors or warnings, no uncaught errors, no
// request for anything but the page itself and data: URLs, every image
// decoded, a heading, no collapsed SVG plot, and a printable version. Saves a
// full-page screenshot and an A4 PDF next to it. Prints one line per check;
// findings go to stderr. Exit 1 on any finding, 77 if Chromium cannot start.
//   NODE_PATH=.../node_modules node tools/check_report.js OUTPUT_DIR SHOT.png
const fs = require('fs');
const path = require('path');
const { pathToFileURL } = require('url');
const { chromium } = require('playwright-core');

const report = path.resolve(process.argv[2], 'report.html');
const shot = path.resolve(process.argv[3]);
const pdf = shot.replace(/\.png$/i, '') + '.pdf';
const reportUrl = pathToFileURL(report).href;
const findings = [];
const fail = (msg) => findings.push(msg);

async function main() {
  if (!fs.existsSync(report)) {
    fail(`${report} does not exist`);
    return;
  }
  let browser;
  try {
    // CI runs as root, where Chromium refuses its sandbox.
    browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });
  } catch (e) {
    console.error(`check_report: Chromium does not start, check skipped: ${e.message}`);
    process.exit(77);
  }
  try {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();

    let consoleCount = 0;
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') {
        consoleCount++;
        const where = m.location().url;
        fail(`console ${m.type()}: ${m.text()}` + (where && where !== reportUrl ? ` (${where.slice(0, 120)})` : ''));
      }
    });
    page.on('pageerror', (e) => {
      consoleCount++;
      fail(`uncaught error: ${e.message}`);
    });
    // The report must stand alone: a sibling file or a web URL would be
    // missing once the page is mailed or opened offline, so block them here.
    const allowed = (url) => url.startsWith('data:') || url.split('#')[0] === reportUrl;
    const blocked = new Set();
    await context.route('**/*', (route) => {
      const url = route.request().url();
      if (allowed(url)) return route.continue();
      blocked.add(url);
      return route.abort('blockedbyclient');
    });
    // Not every scheme reaches the route handler; catch the rest here.
    page.on('request', (r) => { if (!allowed(r.url())) blocked.add(r.url()); });

    await page.goto(reportUrl, { waitUntil: 'load', timeout: 60000 });
    await page.evaluate(() => document.fonts.ready);

    const images = await page.evaluate(async () => {
      const bad = [];
      const imgs = [...document.images];
      for (const img of imgs)
        if (!img.complete || img.naturalWidth === 0) bad.push(`<img> ${img.getAttribute('src')}`);
      // SVG <image> exposes no load state; load each href again to see.
      const svgImages = [...document.querySelectorAll('svg image')];
      await Promise.all(svgImages.map(async (el) => {
        const href = el.getAttribute('href') || el.getAttribute('xlink:href') || '';
        const ok = await new Promise((resolve) => {
          const probe = new Image();
          probe.onload = () => resolve(probe.naturalWidth > 0);
          probe.onerror = () => resolve(false);
          probe.src = new URL(href, document.baseURI).href;
        });
        if (!ok) bad.push(`SVG <image> ${href.slice(0, 80)}`);
      }));
      return { total: imgs.length + svgImages.length, bad };
    });
    for (const b of images.bad) fail(`image does not load: ${b}`);

    const layout = await page.evaluate(() => {
      const svgs = [...document.querySelectorAll('svg')];
      const empty = svgs.filter((s) => {
        const r = s.getBoundingClientRect();
        return r.width === 0 || r.height === 0;
      }).map((s) => s.id || s.getAttribute('aria-label') || s.outerHTML.slice(0, 60));
      return { h1: document.querySelectorAll('h1').length, svgs: svgs.length, empty };
    });
    if (layout.h1 === 0) fail('no <h1>');
    for (const e of layout.empty) fail(`SVG with an empty box: ${e}`);

    await page.screenshot({ path: shot, fullPage: true });
    // page.pdf() lays the page out with print media, as a browser's print does.
    await page.pdf({ path: pdf, format: 'A4', printBackground: true });
    const pdfSize = fs.statSync(pdf).size;
    if (pdfSize < 10240) fail(`PDF is only ${pdfSize} bytes`);
    await page.emulateMedia({ media: 'print' });
    const noPrint = page.locator('.no-print');
    const noPrintCount = await noPrint.count();
    let printed = 0;
    for (let i = 0; i < noPrintCount; i++) if (await noPrint.nth(i).isVisible()) printed++;
    if (printed) fail(`${printed} .no-print element(s) visible in print`);

    for (const url of blocked) fail(`request outside the page: ${url.slice(0, 120)}`);
    console.log(`report: ${images.total - images.bad.length} of ${images.total} images loaded, ` +
                `${blocked.size} outside requests, ${consoleCount} console errors/warnings`);
    console.log(`report: ${layout.h1} <h1>, ${layout.svgs} SVG plots, ${layout.empty.length} empty`);
    console.log(`report: PDF ${Math.round(pdfSize / 1024)} kB, ` +
                `${noPrintCount} .no-print element(s), ${printed} visible in print`);
  } finally {
    await browser.close();
  }
}

main().then(() => {
  for (const f of findings) console.error(`report.html: ${f}`);
  process.exit(findings.length ? 1 : 0);
}, (e) => {
  console.error(`report.html: check failed: ${e.stack || e}`);
  process.exit(1);
});
