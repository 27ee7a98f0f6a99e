#!/bin/sh
# Posts FILE as one merge-request note, or updates the note an earlier run
# posted (found by a hidden marker), so each push replaces it.
#
# usage: mr-note.sh FILE
# env:   GITOPSC_NOTE_TOKEN (api scope), CI_API_V4_URL, CI_PROJECT_ID,
#        CI_MERGE_REQUEST_IID (all but the token are set by GitLab CI)
set -eu

MARKER='<!-- gitopsc-diff -->'
file=${1:?usage: mr-note.sh FILE}
: "${GITOPSC_NOTE_TOKEN:?set GITOPSC_NOTE_TOKEN to a token with api scope}"
: "${CI_API_V4_URL:?}" "${CI_PROJECT_ID:?}" "${CI_MERGE_REQUEST_IID:?}"

notes="$CI_API_V4_URL/projects/$CI_PROJECT_ID/merge_requests/$CI_MERGE_REQUEST_IID/notes"
api() {
  curl -fsS --retry 2 --header "PRIVATE-TOKEN: $GITOPSC_NOTE_TOKEN" "$@"
}

# The earlier note: first one holding the marker, over every page.
id=""
page=1
while [ "$page" -le 50 ]; do
  batch=$(api "$notes?per_page=100&page=$page&sort=asc&order_by=created_at")
  [ "$(printf '%s' "$batch" | jq 'length')" -gt 0 ] || break
  id=$(printf '%s' "$batch" | jq -r --arg m "$MARKER" \
    '[.[] | select((.body // "") | contains($m))][0].id // empty')
  [ -z "$id" ] || break
  page=$((page + 1))
done

body=$(jq -n --arg m "$MARKER" --rawfile text "$file" '{body: ($m + "\n" + $text)}')
if [ -n "$id" ]; then
  printf '%s' "$body" | api --request PUT --header 'Content-Type: application/json' \
    --data @- "$notes/$id" > /dev/null
  echo "updated merge-request note $id"
else
  printf '%s' "$body" | api --request POST --header 'Content-Type: application/json' \
    --data @- "$notes" > /dev/null
  echo "posted a merge-request note"
fi
