#!/usr/bin/env bash
# ocr_bad_input.sh — bad inputs through the CLI give the right error ids and
# exit codes, never a crash.  Usage: bash ocr_bad_input.sh /path/to/scipix
# `scipix image-info` needs no model and is always tested; `scipix ocr` is
# tested when a model exists (models/symbols.spxm or $SCIPIX_MODEL), and the
# model-dependent part is skipped with a message otherwise.
set -u
SCIPIX=${1:?usage: ocr_bad_input.sh /path/to/scipix}
SRC=${SCIPIX_SOURCE_DIR:-$(cd "$(dirname "$0")/../.." && pwd)}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
fail=0
err() { echo "FAIL: $*"; fail=1; }

good="$SRC/examples/formula.png"
: > "$T/empty.png"
printf '\\frac{a}{b} is text, not an image\n' > "$T/text.png"
{ printf '\000\234'; head -c 4000 /dev/urandom; } > "$T/random.png"
printf '%%PDF-1.4\n1 0 obj << >> endobj\n%%%%EOF\n' > "$T/doc.png"
n=$(wc -c < "$good")
head -c $((n / 2)) "$good" > "$T/truncated.png"
python3 - "$good" "$T" <<'EOF'
import sys, zlib, struct
d = bytearray(open(sys.argv[1], 'rb').read())
def patch(w, h):
    d[16:24] = struct.pack('>II', w, h)
    d[29:33] = struct.pack('>I', zlib.crc32(bytes(d[12:29])) & 0xffffffff)
    return bytes(d)
open(sys.argv[2] + '/huge.png', 'wb').write(patch(100000, 100000))
open(sys.argv[2] + '/manypixels.png', 'wb').write(patch(8000, 8000))
e = bytearray(open(sys.argv[1], 'rb').read()); e[-20] ^= 0x5a
open(sys.argv[2] + '/flipped.png', 'wb').write(bytes(e))
EOF

# expect CMD-ARGS... : run, check exit code 1 (never a signal) and the id
expect_id() { # file id [extra args...]
  local f=$1 id=$2; shift 2
  out=$("$SCIPIX" image-info --jsonl "$@" "$f" 2>"$T/stderr"); rc=$?
  [[ $rc -eq 1 ]] || err "image-info $f: exit $rc, want 1"
  grep -q "\"id\":\"$id\"" <<<"$out" || err "image-info $f: want $id, got: $out"
  out=$("$SCIPIX" image-info "$@" "$f" 2>&1 >/dev/null); rc=$?
  [[ $rc -eq 1 ]] || err "image-info (text) $f: exit $rc"
  grep -q "^scipix: $f: .*($id)" <<<"$out" || err "image-info (text) $f: stderr: $out"
}
expect_id "$T/empty.png" SCIPIX_EIMAGE_EMPTY
expect_id "$T/text.png" SCIPIX_EIMAGE_FORMAT
expect_id "$T/random.png" SCIPIX_EIMAGE_FORMAT
expect_id "$T/doc.png" SCIPIX_EIMAGE_UNSUPPORTED
expect_id "$T/truncated.png" SCIPIX_EIMAGE_CORRUPT
expect_id "$T/flipped.png" SCIPIX_EIMAGE_CORRUPT
expect_id "$T/huge.png" SCIPIX_ELIMIT_DIMENSION
expect_id "$T/manypixels.png" SCIPIX_ELIMIT_PIXELS
expect_id "$T/nonexistent.png" SCIPIX_EIO
expect_id "$good" SCIPIX_ELIMIT_BYTES --max-bytes 100
expect_id "$good" SCIPIX_ELIMIT_DIMENSION --max-dimension 100
expect_id "$good" SCIPIX_ELIMIT_PIXELS --max-pixels 1000

out=$("$SCIPIX" image-info "$good"); rc=$?
[[ $rc -eq 0 ]] || err "image-info good: exit $rc"
grep -q "format=png width=313 height=51" <<<"$out" || err "image-info good: $out"
out=$("$SCIPIX" image-info --jsonl - < "$good"); rc=$?
[[ $rc -eq 0 && $out == *'"width":313'* ]] || err "image-info stdin: $rc $out"
# a good file among bad ones: all reported, exit 1
out=$("$SCIPIX" image-info --jsonl "$T/empty.png" "$good" "$T/doc.png" 2>/dev/null); rc=$?
[[ $rc -eq 1 && $(wc -l <<<"$out") -eq 3 ]] || err "image-info mixed: $rc $out"
"$SCIPIX" image-info --max-bytes nonsense "$good" 2>/dev/null; [[ $? -eq 2 ]] || err "bad option: want exit 2"

model=${SCIPIX_MODEL:-$SRC/models/symbols.spxm}
if [[ ! -f $model ]]; then
  echo "skipped: scipix ocr part (no model at $model)"
else
  export SCIPIX_MODEL=$model
  files=("$T/empty.png" "$good" "$T/text.png" "$T/random.png" "$T/doc.png" "$T/truncated.png" "$T/huge.png" "$good")
  ids=(SCIPIX_EIMAGE_EMPTY ok SCIPIX_EIMAGE_FORMAT SCIPIX_EIMAGE_FORMAT SCIPIX_EIMAGE_UNSUPPORTED SCIPIX_EIMAGE_CORRUPT SCIPIX_ELIMIT_DIMENSION ok)
  for threads in 1 2; do
    out=$("$SCIPIX" ocr --jsonl --threads $threads "${files[@]}" 2>/dev/null); rc=$?
    [[ $rc -eq 1 ]] || err "ocr --jsonl --threads $threads: exit $rc, want 1"
    mapfile -t lines <<<"$out"
    [[ ${#lines[@]} -eq ${#files[@]} ]] || err "ocr --jsonl: ${#lines[@]} lines for ${#files[@]} files"
    for i in "${!files[@]}"; do
      l=${lines[$i]:-}
      [[ $l == *"\"file\":\"${files[$i]}\""* ]] || err "ocr line $i is not for ${files[$i]}: $l"
      if [[ ${ids[$i]} == ok ]]; then
        [[ $l == *'"latex_styled":'* && $l == *'"confidence":'* && $l == *'"ms":'* ]] || err "ocr ok line: $l"
      else
        [[ $l == *"\"id\":\"${ids[$i]}\""* ]] || err "ocr line $i want ${ids[$i]}: $l"
      fi
    done
  done
  out=$("$SCIPIX" ocr "$T/doc.png" 2>&1 >/dev/null); rc=$?
  [[ $rc -eq 1 && $out == "scipix: $T/doc.png: "* ]] || err "ocr latex-mode error: $rc $out"
  out=$("$SCIPIX" ocr - < "$good"); rc=$?
  [[ $rc -eq 0 && -n $out ]] || err "ocr stdin: $rc $out"
  "$SCIPIX" ocr --max-bytes 100 "$good" 2>/dev/null; [[ $? -eq 1 ]] || err "ocr --max-bytes: want exit 1"
fi
# a missing model is an error, not a crash
out=$("$SCIPIX" ocr --model "$T/no-such-model.spxm" "$good" 2>&1); rc=$?
[[ $rc -eq 1 && $out == *SCIPIX_EMODEL_OPEN* ]] || err "missing model: $rc $out"

[[ $fail -eq 0 ]] && echo "ocr_bad_input: all checks passed"
exit $fail
