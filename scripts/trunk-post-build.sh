#!/usr/bin/env bash
# Trunk post-build hook (see Trunk.toml). Runs in the project root with TRUNK_STAGING_DIR set.
# 1. Splits the app's wasm into chunks (src/chunks.rs says what each holds), as cargo-leptos's
#    `--split` does: wasm-split-cli on the wasm rustc linked (with its relocations, see build.rs), then
#    wasm-bindgen on the main module (`--keep-lld-exports`: the chunks link against its exports), then
#    wasm-opt on the main module and every chunk. Trunk's own wasm-bindgen output is replaced.
# 2. Names every file of the app by its content, so the server may let browsers keep them for a year:
#    a chunk by its own hash; the main module, its JS and the chunks' loader `__wasm_split.js` (which
#    import one another) by one hash of the three. index.html is pointed at them, with new integrity
#    hashes, and preloads the loader, which the main JS imports.
# 3. build.rs (stylers) wrote the components' scoped CSS to target/stylers.css. Trunk resolves its own
#    assets before cargo runs, so it cannot pick that file up itself: ship it here under a content hash
#    and point index.html at it.
# 4. Completes index.html's first screen (see index.html): its texts from src/i18n/*.json, and the
#    stylesheets it needs inlined, so that nothing blocks its paint.
# 5. Pre-compresses every file: the server sends `x.br` / `x.gz` as is, no compression at request time.
set -euo pipefail
staging="${TRUNK_STAGING_DIR:?run by trunk}"
profile="${TRUNK_PROFILE:-debug}"
raw="${CARGO_TARGET_DIR:-target}/wasm32-unknown-unknown/$profile/parta.wasm"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

wasm-split-cli "$raw" "$work/split" --out-name parta
wasm-bindgen --target web --keep-lld-exports --no-typescript --out-dir "$work/bindgen" --out-name parta \
  "$work/split/parta.wasm"
if [ "$profile" = "release" ]; then
  # The features rustc enables by default for wasm32; wasm-opt refuses them unless told.
  features="--enable-bulk-memory --enable-bulk-memory-opt --enable-nontrapping-float-to-int --enable-sign-ext
    --enable-mutable-globals --enable-reference-types --enable-multivalue"
  # shellcheck disable=SC2086 # the features are separate words
  printf '%s\n' "$work/bindgen/parta_bg.wasm" "$work"/split/split_*.wasm "$work"/split/chunk_*.wasm |
    xargs -P "$(nproc)" -I{} wasm-opt -Oz $features {} -o {}
fi

python3 - "$staging" "$work" <<'PY'
import base64, hashlib, os, re, shutil, sys

staging, work = sys.argv[1], sys.argv[2]
split, bindgen = f"{work}/split", f"{work}/bindgen"

def read(path, mode="r"):
    with open(path, mode, **({} if "b" in mode else {"encoding": "utf-8"})) as f:
        return f.read()

def write(path, data):
    with open(path, "wb" if isinstance(data, bytes) else "w", **({} if isinstance(data, bytes) else {"encoding": "utf-8"})) as f:
        f.write(data)

def digest(*parts):
    h = hashlib.sha256()
    for part in parts:
        h.update(part if isinstance(part, bytes) else part.encode())
    return h.hexdigest()[:16]

def integrity(data):
    return "sha384-" + base64.b64encode(hashlib.sha384(data).digest()).decode()

loader = read(f"{split}/__wasm_split.js")
# Each chunk by what it holds: a split point's module by its name (`split_chat` → `chat`), a module
# several share by theirs, from the loader's comment before it (`/* chat, staff */` → `chat+staff`).
for file in sorted(os.listdir(split)):
    if not re.fullmatch(r"(split|chunk)_.+\.wasm", file):
        continue
    stem = file[: -len(".wasm")]
    if stem.startswith("split_"):
        name = stem[len("split_"):]
    else:
        users = re.search(r"/\* ([^*]*) \*/\s*const __chunk_\d+ = makeLoad\(\(\) => \{\s*const src = fetch\(new URL\(\"\./" + re.escape(file), loader)
        name = "+".join(u.strip() for u in users.group(1).split(",")) if users else stem
    data = read(f"{split}/{file}", "rb")
    hashed = f"{name}-{digest(data)}.wasm"
    write(f"{staging}/{hashed}", data)
    loader = loader.replace(f'"./{file}"', f'"./{hashed}"')

glue = read(f"{bindgen}/parta.js")
main = read(f"{bindgen}/parta_bg.wasm", "rb")
build = digest(main, glue, loader)
js, wasm, linker = f"parta-{build}.js", f"parta-{build}_bg.wasm", f"__wasm_split-{build}.js"
loader = loader.replace('from "./parta.js"', f'from "./{js}"')
glue = glue.replace('from "./__wasm_split.js"', f'from "./{linker}"')
write(f"{staging}/{linker}", loader)
write(f"{staging}/{js}", glue)
write(f"{staging}/{wasm}", main)
if os.path.isdir(f"{bindgen}/snippets"):
    shutil.copytree(f"{bindgen}/snippets", f"{staging}/snippets", dirs_exist_ok=True)

html = read(f"{staging}/index.html")
trunk_js = re.search(r"/(parta-[0-9a-f]+)\.js", html).group(1)
for old in (f"{trunk_js}.js", f"{trunk_js}_bg.wasm"):
    os.remove(f"{staging}/{old}")
html = html.replace(f"/{trunk_js}_bg.wasm", f"/{wasm}").replace(f"/{trunk_js}.js", f"/{js}")
for name, data in ((js, glue.encode()), (wasm, main)):
    html = re.sub(r'(href="/' + re.escape(name) + r'"[^>]*integrity=")[^"]*', lambda m: m.group(1) + integrity(data), html)
preload = f'<link rel="modulepreload" href="/{linker}" crossorigin="anonymous" integrity="{integrity(loader.encode())}">'
html = html.replace("</head>", preload + "</head>", 1)
write(f"{staging}/index.html", html)
PY

css="target/stylers.css"
[ -f "$css" ] || : > "$css"
hash="$(sha256sum "$css" | cut -c1-16)"
cp "$css" "$staging/stylers-$hash.css"
sed -i "s|href=\"/stylers.css\"|href=\"/stylers-$hash.css\"|g" "$staging/index.html"

python3 - "$staging/index.html" <<'PY'
import html as escape, json, re, sys

path = sys.argv[1]
with open(path, encoding="utf-8") as f:
    page = f.read()
strings = {lang: json.load(open(f"src/i18n/{lang}.json", encoding="utf-8")) for lang in ("ru", "en")}

# Russian in the file; the keys used, in English, for the script that switches languages.
used = set()
def fill(match):
    tag, attribute, key, close = match.group(1, 3, 4, 5)
    used.add(key)
    # `data-t-other`: the name of the language the switch offers, English on a Russian page.
    lang = "en" if attribute == "data-t-other" else "ru"
    return tag + escape.escape(strings[lang][key], quote=False) + close
page = re.sub(r'(<(\w+)\b[^>]*?\s(data-t(?:-other)?)="(\w+)"[^>]*>)(</\2>)', fill, page)
texts = {lang: {key: strings[lang][key] for key in sorted(used)} for lang in strings}
if "EN_TEXTS" not in page:
    sys.exit("trunk-post-build: index.html has no EN_TEXTS for the first screen's script")
page = page.replace("EN_TEXTS", json.dumps(texts, ensure_ascii=False, separators=(",", ":")), 1)

# The first screen's stylesheets, inlined (comments dropped, they would only be bytes).
def inline(match):
    css = "\n".join(open(name, encoding="utf-8").read() for name in match.group(1).split())
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.S)
    css = re.sub(r"\s*\n\s*", "\n", css).strip()
    return f"<style>{css}</style>"
page, count = re.subn(r'<style data-inline="([^"]+)"></style>', inline, page)
if count != 1:
    sys.exit("trunk-post-build: index.html has no <style data-inline> for the first screen")
with open(path, "w", encoding="utf-8") as f:
    f.write(page)
PY

if [ "$profile" = "release" ]; then
  find "$staging" -type f ! -name '*.br' ! -name '*.gz' ! -name '*.png' | while read -r f; do
    brotli -f -q 11 -o "$f.br" "$f"
    gzip -f -k -9 "$f"
  done
fi
