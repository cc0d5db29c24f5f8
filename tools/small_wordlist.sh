#!/bin/sh
# Writes src/Nabla/Data/Embedded/words_small.txt: every 20th plain lowercase word (a-z only: no capitals,
# apostrophes or accents) of Debian's wamerican list, in the list's order. The file is committed and
# compiled into the Nabla assembly, so the char-rnn tests and machines without a dictionary have words.
#   apt-get install wamerican && sh tools/small_wordlist.sh
set -eu
src=${1:-/usr/share/dict/american-english}
out=$(dirname "$0")/../src/Nabla/Data/Embedded/words_small.txt
LC_ALL=C grep -E '^[a-z]+$' "$src" | awk 'NR % 20 == 1' > "$out"
wc -l "$out"
