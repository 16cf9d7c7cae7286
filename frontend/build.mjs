// Builds frontend/dist/ (Django's STATICFILES_DIRS, served under STATIC_URL "/assets/").
// Usage: npm run build. No bundler: Sass for CSS, plain copies for JS and images.
import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync, existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import * as sass from "sass";

const root = dirname(fileURLToPath(import.meta.url));
const dist = join(root, "dist");
const govuk = join(root, "node_modules/govuk-frontend/dist/govuk");
const moj = join(root, "node_modules/@ministryofjustice/frontend/moj");
const assetsPath = "/assets/"; // keep in step with $govuk-assets-path in src/*.scss
const imageSources = [join(govuk, "assets/images"), join(moj, "assets/images")];

rmSync(dist, { recursive: true, force: true });
mkdirSync(join(dist, "images"), { recursive: true });

// Django's ManifestStaticFilesStorage rewrites sourceMappingURL comments and fails when the map
// is missing, and we don't ship maps, so strip them.
const stripSourceMap = (text) => text.replace(/\n?\/[/*]# sourceMappingURL=\S+?(?: \*\/)?\s*$/, "\n");

// MOJ Frontend uses GOV.UK Frontend mixins that 6.x deprecates, and it configures GOV.UK
// Frontend itself, so $govuk-suppressed-warnings can't reach them: drop deprecations raised in
// MOJ Frontend's code, show everything else (including deprecations our own Sass triggers).
function reportWarning(message, { deprecation, stack }) {
  const fromMoj = (stack ?? "").includes("node_modules/@ministryofjustice/");
  if ((deprecation || /is deprecated/.test(message)) && fromMoj) return;
  console.warn(`WARNING: ${message}\n${stack ?? ""}`);
}

function compileScss(name) {
  const result = sass.compile(join(root, "src", `${name}.scss`), {
    style: "compressed",
    sourceMap: false,
    importers: [new sass.NodePackageImporter()],
    // MOJ Frontend @forwards "node_modules/govuk-frontend/dist/govuk/base".
    loadPaths: [root],
    quietDeps: true,
    logger: { warn: reportWarning },
  });
  writeFileSync(join(dist, `${name}.css`), stripSourceMap(result.css) + "\n");
  return result.css;
}

// Every image the CSS refers to must exist in dist/, or collectstatic fails.
function copyReferencedImages(css) {
  for (const [, url] of css.matchAll(/url\(\s*["']?([^"')]+)["']?\s*\)/g)) {
    if (url.startsWith("data:")) continue;
    if (!url.startsWith(`${assetsPath}images/`)) {
      throw new Error(`unexpected asset URL in CSS: ${url}`);
    }
    const file = url.slice(`${assetsPath}images/`.length);
    const source = imageSources.map((dir) => join(dir, file)).find(existsSync);
    if (!source) throw new Error(`image referenced by CSS not found: ${url}`);
    copyFileSync(source, join(dist, "images", file));
  }
}

copyReferencedImages(compileScss("porth"));
copyReferencedImages(compileScss("moj"));

// ES modules, loaded with <script type="module" src=".../init.js">.
const copyJs = (from, to) =>
  writeFileSync(join(dist, to), stripSourceMap(readFileSync(from, "utf8")));
copyJs(join(govuk, "govuk-frontend.min.js"), "govuk-frontend.min.js");
copyJs(join(moj, "moj-frontend.min.js"), "moj-frontend.min.js");
writeFileSync(join(dist, "init.js"), 'import { initAll } from "./govuk-frontend.min.js";\n\ninitAll();\n');
writeFileSync(join(dist, "moj-init.js"), 'import { initAll } from "./moj-frontend.min.js";\n\ninitAll();\n');

// Our own icon: councils and agencies are not GOV.UK, so they do not use the crown.
copyFileSync(join(root, "src", "favicon.svg"), join(dist, "images", "favicon.svg"));

for (const file of ["porth.css", "moj.css", "govuk-frontend.min.js", "moj-frontend.min.js"]) {
  const bytes = readFileSync(join(dist, file));
  const kb = (n) => (n / 1024).toFixed(1);
  console.log(`dist/${file}: ${kb(bytes.length)} KB, ${kb(gzipSync(bytes, { level: 9 }).length)} KB gzipped`);
}
