#!/usr/bin/env bash
# convert.sh — `scipix convert` behaviour: every output format, errors with
# positions, one failing line not stopping the others, the Mathpix JSON
# shape and its options.  Usage: bash convert.sh /path/to/scipix
set -uo pipefail
BIN="$1"
fail=0
check() { # name expected actual
  if [[ "$2" != "$3" ]]; then echo "FAIL $1: expected [$2] got [$3]"; fail=1; else echo "ok   $1"; fi
}
contains() { # name needle haystack
  if [[ "$3" != *"$2"* ]]; then echo "FAIL $1: [$2] not in [$3]"; fail=1; else echo "ok   $1"; fi
}

check "styled latex" '\frac{1}{2}x_{1}^{2}{\mathbf{ab}}\left( x \right)' \
  "$("$BIN" convert --to latex '\frac 1 2 x_1^2 {\bf ab} \left( x \right)')"
check "simplified latex" '\frac 12x_1^2\mathbf{ab}\left( x \right)' \
  "$("$BIN" convert --to latex-simplified '\frac{1}{2} x_{1}^{2} {\bf ab} \left( x \right)')"
check "mathml" '<math xmlns="http://www.w3.org/1998/Math/MathML"><msup><mi>x</mi><mn>2</mn></msup><mo>+</mo><mfrac><mi>a</mi><mi>b</mi></mfrac></math>' \
  "$("$BIN" convert --to mathml 'x^2+\frac{a}{b}')"
contains "mathml display" 'display="block"' "$("$BIN" convert --to mathml --display 'x')"
contains "mathml limits" '<munderover><mo movablelimits="true">∑</mo>' "$("$BIN" convert --to mathml '\sum_{i=1}^n i')"
contains "mathml mtable" '<mtable columnalign="left left">' "$("$BIN" convert --to mathml '\begin{cases} a & b \\ c & d \end{cases}')"
contains "mathml variant" 'mathvariant="double-struck"' "$("$BIN" convert --to mathml '\mathbb{R}')"
check "asciimath" 'x^2 + (a + b)/c' "$("$BIN" convert --to asciimath 'x^2+\frac{a+b}{c}')"
check "text superscripts" 'x² + y₁ = √z' "$("$BIN" convert --to text 'x^2+y_1=\sqrt{z}')"
check "text fallback" 'x^(q + 1)' "$("$BIN" convert --to text 'x^{q+1}')"
check "text fonts" 'ℝⁿ ∋ 𝐯' "$("$BIN" convert --to text '\mathbb{R}^n \ni \mathbf{v}')"

json=$("$BIN" convert --to json --data mathml,asciimath,latex 'x^2')
contains "json text" '"text": "\\( x^2 \\)"' "$(echo "$json" | python3 -c 'import json,sys; d=json.load(sys.stdin); print("\"text\": " + json.dumps(d["text"]))')"
check "json keys" 'text latex_styled confidence confidence_rate data' \
  "$(echo "$json" | python3 -c 'import json,sys; print(" ".join(json.load(sys.stdin).keys()))')"
check "json data types" 'mathml asciimath latex' \
  "$(echo "$json" | python3 -c 'import json,sys; print(" ".join(d["type"] for d in json.load(sys.stdin)["data"]))')"
check "json display delims" '\[ x \]' \
  "$("$BIN" convert --to json --delims display 'x' | python3 -c 'import json,sys; print(json.load(sys.stdin)["text"])')"
check "json custom delims" '$$ x $$' \
  "$("$BIN" convert --to json --delims '$$,$$' 'x' | python3 -c 'import json,sys; print(json.load(sys.stdin)["text"])')"
check "json no data by default" 'False' \
  "$("$BIN" convert --to json 'x' | python3 -c 'import json,sys; print("data" in json.load(sys.stdin))')"

# errors: position, code, and the other lines still converted
out=$(printf 'a+b\n\\frac{a}\nx^{2\nc & d\n\\foo x\n}\nz\n' | "$BIN" convert --to latex 2>err.txt); rc=$?
check "exit status on failure" 1 "$rc"
check "good lines converted, bad lines empty" "$(printf 'a+b\n\n\n\n\n\nz')" "$out"
errs=$(cat err.txt); rm -f err.txt
contains "missing argument" 'line 2: SCIPIX_EPARSE: at 8: missing argument for \frac' "$errs"
contains "unbalanced brace" "line 3: SCIPIX_EPARSE: at 4: missing '}'" "$errs"
contains "stray &" "line 4: SCIPIX_EPARSE: at 2: stray '&'" "$errs"
contains "unknown command" 'line 5: SCIPIX_EPARSE: at 0: unknown command \foo' "$errs"
contains "unbalanced close" "line 6: SCIPIX_EPARSE: at 0: unbalanced '}'" "$errs"

# limits: a very deep nesting and an over-long line are refused, not crashed on
deep=$(python3 -c 'print("{"*30000 + "}"*30000)')
echo "$deep" | "$BIN" convert --to latex >/dev/null 2>err.txt; rc=$?
check "deep nesting refused" 1 "$rc"
contains "deep nesting message" 'nesting deeper than' "$(cat err.txt)"
long=$(python3 -c 'print("x+"*40000 + "x")')
echo "$long" | "$BIN" convert --to latex >/dev/null 2>err.txt; rc=$?
check "long input refused" 1 "$rc"
contains "long input message" 'input longer than' "$(cat err.txt)"
rm -f err.txt
check "usage error" 2 "$("$BIN" convert --to nonsense x >/dev/null 2>&1; echo $?)"

# tsv mode keeps ids
check "tsv" "$(printf '1.png\tx^{2}\n2.png\t')" "$(printf '1.png\tx^2\n2.png\t\\frac{\n' | "$BIN" convert --tsv -q --to latex)"
exit $fail
