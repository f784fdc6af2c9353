#!/usr/bin/env bash
# Print the path of a Python 3.10: Rasa 3.6 supports 3.8-3.10, and the sentence encoder's tokenizers (0.23)
# needs 3.10 or newer.
# $PYTHON wins when set. Exits 1 with a clear message when there is none.
set -u
supported='import sys; sys.exit(0 if sys.version_info[:2] == (3, 10) else 1)'

candidates() {
  [ -n "${PYTHON:-}" ] && echo "$PYTHON"
  for v in 3.10; do
    command -v "python$v" 2>/dev/null
    if command -v pyenv >/dev/null 2>&1; then
      pyenv root 2>/dev/null | while read -r root; do ls -d "$root"/versions/"$v"*/bin/python 2>/dev/null | sort -rV; done
    fi
    ls -d "${PYENV_ROOT:-$HOME/.pyenv}"/versions/"$v"*/bin/python 2>/dev/null | sort -rV
  done
}

for py in $(candidates); do
  if [ -x "$py" ] && "$py" -c "$supported" 2>/dev/null; then
    echo "$py"
    exit 0
  fi
done
echo "error: Untangle needs Python 3.10 (Rasa 3.6 supports 3.8-3.10; its tokenizers need 3.10) and none was found." >&2
echo "       Install one (e.g. 'pyenv install 3.10') or set PYTHON=/path/to/python3.10." >&2
exit 1
