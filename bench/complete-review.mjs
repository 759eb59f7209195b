// The complete review the benchmarks import and export: a RevMan 5 file the size of the
// largest public Cochrane review (591 included studies, 113 analyses), seeded, with everything
// the import maps: authors, support, text sections with paragraphs, lists, markup, track
// changes and entities, every kind of reference with identifiers, characteristics, RoB 1
// items with supports, analyses with subgroups, footnotes, graph labels and axis scales.
// Used by bench/import.mjs and bench/export.mjs.
export const STUDIES = 591;
export const EXCLUDED = 250;
export const AWAITING = 20;
export const ONGOING = 15;
export const ADDITIONAL = 300;
export const ANALYSES = 113;

let seed = 11;
const rand = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
const int = (lo, hi) => lo + Math.floor(rand() * (hi - lo + 1));
const words = "participants were randomised to receive the intervention or a placebo for twelve weeks outcomes were assessed by blinded staff at baseline and follow up losses were small and balanced across groups".split(" ");
const text = (n) => Array.from({ length: n }, () => words[int(0, words.length - 1)]).join(" ");
/** A paragraph as RevMan writes one: markup, now and then a track change or an entity. */
const para = (n) => {
  const t = text(n).split(" ");
  const k = int(1, t.length - 2);
  t[k] = [`<B>${t[k]}</B>`, `<I>${t[k]}</I>`, `<INS>${t[k]}</INS>`, `${t[k]}<DEL> ${text(2)}</DEL>`, `M&amp;uuml;ller`][int(0, 4)];
  return `<P>${t.join(" ")}</P>`;
};
const paras = (count, n) => Array.from({ length: count }, () => para(n)).join("");
const surnames = ["Smith", "Okafor", "Nguyen", "Garcia", "Khan", "Müller", "Silva", "Tanaka", "Osei", "Kowalski", "Haddad", "Larsen"];
const outcomes = ["Response", "Dropouts", "Adverse events", "Quality of life", "Relapse", "Death", "Hospital admission", "Pain", "Sleep", "Anxiety score"];

function reference(id, author, year, primary, kind) {
  const doi = int(0, 3) ? `<IDENTIFIER TYPE="DOI" VALUE="10.1000/${kind}.${id}"/>` : "";
  const pmid = int(0, 2) ? `<IDENTIFIER TYPE="PUBMED" VALUE="${10000000 + int(0, 8999999)}"/>` : "";
  const other = int(0, 3) ? "" : `<IDENTIFIER TYPE="EMBASE" VALUE="${int(100000, 999999)}"/>`;
  return `<REFERENCE ID="REF-${kind}-${id}" PRIMARY="${primary ? "YES" : "NO"}" TYPE="JOURNAL_ARTICLE"><AU>${author} A, Other B, Third CD</AU><TI>${text(12)}</TI><SO>Journal of ${words[int(0, 20)]} studies</SO><YR>${year}</YR><VL>${int(1, 90)}</VL><NO>${int(1, 12)}</NO><PG>${int(1, 900)}-${int(901, 999)}</PG><IDENTIFIERS>${doi}${pmid}${other}</IDENTIFIERS></REFERENCE>`;
}

function study(kind, s, refs) {
  const author = surnames[s % surnames.length];
  const year = 1970 + (s % 50);
  const rs = Array.from({ length: refs }, (_, r) => reference(`${s}-${r}`, author, year - (r ? 1 : 0), r === 0, kind)).join("");
  return `<STUDY ID="STD-${kind}-${s}" NAME="${author} ${year} (${kind} ${s})" YEAR="${year}">${rs}<IDENTIFIERS><IDENTIFIER TYPE="OTHER" VALUE="NCT${String(10000000 + s).slice(0, 8)}"/></IDENTIFIERS></STUDY>`;
}

function cover() {
  const authors = Array.from({ length: 8 }, (_, i) => `<PERSON ID="P${i}" ROLE="AUTHOR"><FIRST_NAME>Author${i}</FIRST_NAME><LAST_NAME>${surnames[i]}</LAST_NAME><EMAIL_1>a${i}@example.org</EMAIL_1><ADDRESS><DEPARTMENT>Department ${i}</DEPARTMENT><ORGANISATION>University ${i}</ORGANISATION><ADDRESS_1>${i} Road</ADDRESS_1><CITY>City</CITY><ZIP>Z${i}</ZIP><COUNTRY>UK</COUNTRY></ADDRESS></PERSON>`);
  return `<COVER_SHEET><TITLE>Generated review for benchmarks</TITLE><CONTACT>${authors[0]}</CONTACT><CREATORS>${authors.join("")}</CREATORS>
<DATES><LAST_SEARCH><DATE DAY="3" MONTH="7" YEAR="2019"/></LAST_SEARCH><REVIEW_PUBLISHED ISSUE="4" YEAR="2020"/></DATES>
<WHATS_NEW><WHATS_NEW_EVENT><DESCRIPTION>${paras(1, 20)}</DESCRIPTION></WHATS_NEW_EVENT></WHATS_NEW>
<SOURCES_OF_SUPPORT><INTERNAL_SOURCES><SOURCE><NAME>University 0</NAME><COUNTRY>UK</COUNTRY><DESCRIPTION>${paras(1, 10)}</DESCRIPTION></SOURCE></INTERNAL_SOURCES><EXTERNAL_SOURCES><SOURCE><NAME>A funder</NAME></SOURCE></EXTERNAL_SOURCES></SOURCES_OF_SUPPORT></COVER_SHEET>`;
}

function mainText() {
  const list = (items) => `<OL>${items.map((i) => `<LI>${i}</LI>`).join("")}</OL>`;
  return `<MAIN_TEXT><SUMMARY><SUMMARY_BODY>${paras(6, 60)}</SUMMARY_BODY></SUMMARY><ABSTRACT><ABS_BACKGROUND>${paras(2, 60)}</ABS_BACKGROUND></ABSTRACT><BODY>
<BACKGROUND><CONDITION>${paras(6, 80)}</CONDITION><INTERVENTION>${paras(4, 80)}</INTERVENTION><THEORY>${paras(3, 80)}</THEORY><IMPORTANCE>${paras(3, 80)}</IMPORTANCE></BACKGROUND>
<OBJECTIVES>${paras(1, 30)}</OBJECTIVES>
<METHODS><SELECTION_CRITERIA><CRIT_STUDIES>${paras(2, 40)}</CRIT_STUDIES><CRIT_PARTICIPANTS>${paras(2, 60)}</CRIT_PARTICIPANTS><CRIT_INTERVENTIONS>${paras(2, 60)}</CRIT_INTERVENTIONS>
<CRIT_OUTCOMES><CRIT_OUTCOMES_PRIMARY>${list(outcomes.slice(0, 2))}</CRIT_OUTCOMES_PRIMARY><CRIT_OUTCOMES_SECONDARY>${list(outcomes.slice(2))}</CRIT_OUTCOMES_SECONDARY></CRIT_OUTCOMES></SELECTION_CRITERIA>
<SEARCH_METHODS><ELECTRONIC_SEARCHES>${paras(4, 60)}</ELECTRONIC_SEARCHES><OTHER_SEARCHES>${paras(2, 40)}</OTHER_SEARCHES></SEARCH_METHODS>
<DATA_COLLECTION><STUDY_SELECTION>${paras(2, 60)}</STUDY_SELECTION><DATA_EXTRACTION>${paras(2, 60)}</DATA_EXTRACTION><QUALITY_ASSESSMENT>${paras(3, 60)}</QUALITY_ASSESSMENT><EFFECT_MEASURES>${paras(2, 60)}</EFFECT_MEASURES><DATA_SYNTHESIS>${paras(3, 60)}</DATA_SYNTHESIS><SUBGROUP_ANALYSIS>${paras(2, 60)}</SUBGROUP_ANALYSIS><SENSITIVITY_ANALYSIS>${paras(1, 60)}</SENSITIVITY_ANALYSIS></DATA_COLLECTION></METHODS>
<RESULTS>${paras(60, 80)}</RESULTS><DISCUSSION>${paras(25, 80)}</DISCUSSION><CONCLUSIONS>${paras(4, 60)}</CONCLUSIONS></BODY></MAIN_TEXT>`;
}

function analyses() {
  const x = ["<ANALYSES_AND_DATA>"];
  for (let a = 0; a < ANALYSES; a++) {
    const comparison = Math.floor(a / 10) + 1;
    const cmp = `CMP-${String(comparison).padStart(3, "0")}`;
    if (a % 10 === 0) x.push(`${a ? "</COMPARISON>" : ""}<COMPARISON ID="${cmp}" NO="${comparison}"><NAME>Comparison ${comparison}</NAME>`);
    const dich = a % 3 !== 2;
    const tag = dich ? "DICH" : "CONT";
    const subgroups = a % 4 === 0;
    x.push(`<${tag}_OUTCOME ID="${cmp}.${String((a % 10) + 1).padStart(2, "0")}" EFFECT_MEASURE="${dich ? "RR" : "MD"}" METHOD="${dich ? "MH" : "IV"}" RANDOM="YES" TOTALS="YES" SUBGROUPS="${subgroups ? "YES" : "NO"}" SCALE="${dich ? 100 : 10}">`);
    x.push(`<NAME>${outcomes[a % outcomes.length]} at ${a} weeks</NAME><GROUP_LABEL_1>Treatment</GROUP_LABEL_1><GROUP_LABEL_2>Control</GROUP_LABEL_2><GRAPH_LABEL_1>Favours treatment</GRAPH_LABEL_1><GRAPH_LABEL_2>Favours control</GRAPH_LABEL_2>`);
    const n = int(5, 60);
    const start = int(0, STUDIES - n);
    const foot = () => (int(0, 9) ? "" : `<FOOTNOTE>${text(8)}</FOOTNOTE>`);
    const row = (s) => {
      const f = foot();
      const attrs = dich
        ? `EVENTS_1="${int(1, 40)}" EVENTS_2="${int(1, 40)}" TOTAL_1="${int(50, 200)}" TOTAL_2="${int(50, 200)}"`
        : `MEAN_1="${(rand() * 10).toFixed(2)}" SD_1="${(1 + rand() * 3).toFixed(2)}" TOTAL_1="${int(20, 100)}" MEAN_2="${(rand() * 10).toFixed(2)}" SD_2="${(1 + rand() * 3).toFixed(2)}" TOTAL_2="${int(20, 100)}"`;
      return f ? `<${tag}_DATA STUDY_ID="STD-included-${s}" ${attrs}>${f}</${tag}_DATA>` : `<${tag}_DATA STUDY_ID="STD-included-${s}" ${attrs}/>`;
    };
    if (subgroups) {
      for (const g of [0, 1]) {
        x.push(`<${tag}_SUBGROUP><NAME>Subgroup <INS>${g + 1}</INS></NAME>`);
        for (let s = start + g; s < start + n; s += 2) x.push(row(s));
        x.push(`</${tag}_SUBGROUP>`);
      }
    } else for (let s = start; s < start + n; s++) x.push(row(s));
    x.push(`</${tag}_OUTCOME>`);
  }
  x.push("</COMPARISON></ANALYSES_AND_DATA>");
  return x.join("\n");
}

/** A complete RevMan 5 review of the public size. */
export function rm5() {
  const x = ['<?xml version="1.0" encoding="UTF-8"?>', '<COCHRANE_REVIEW TYPE="INTERVENTION" DOI="10.1002/14651858.CD999999.pub3">', cover(), mainText()];
  x.push("<STUDIES_AND_REFERENCES><STUDIES><INCLUDED_STUDIES>");
  for (let s = 0; s < STUDIES; s++) x.push(study("included", s, 3));
  x.push("</INCLUDED_STUDIES><EXCLUDED_STUDIES>");
  for (let s = 0; s < EXCLUDED; s++) x.push(study("excluded", s, 1));
  x.push("</EXCLUDED_STUDIES><AWAITING_STUDIES>");
  for (let s = 0; s < AWAITING; s++) x.push(study("awaiting", s, 1));
  x.push("</AWAITING_STUDIES><ONGOING_STUDIES>");
  for (let s = 0; s < ONGOING; s++) x.push(study("ongoing", s, 1));
  x.push("</ONGOING_STUDIES></STUDIES><OTHER_REFERENCES><ADDITIONAL_REFERENCES>");
  for (let r = 0; r < ADDITIONAL; r++) x.push(reference(r, surnames[r % 12], 1980 + (r % 40), false, "additional"));
  x.push(`</ADDITIONAL_REFERENCES><OTHER_VERSIONS_REFERENCES>${reference(1, "Smith", 2010, false, "version")}</OTHER_VERSIONS_REFERENCES><PENDING_REFERENCES>${reference(1, "Zed", 2019, false, "pending")}</PENDING_REFERENCES></OTHER_REFERENCES></STUDIES_AND_REFERENCES>`);
  x.push(`<CHARACTERISTICS_OF_STUDIES><CHARACTERISTICS_OF_INCLUDED_STUDIES>`);
  for (let s = 0; s < STUDIES; s++) {
    x.push(`<INCLUDED_CHAR STUDY_ID="STD-included-${s}"><CHAR_METHODS>${paras(2, 30)}</CHAR_METHODS><CHAR_PARTICIPANTS>${paras(4, 50)}</CHAR_PARTICIPANTS><CHAR_INTERVENTIONS>${paras(2, 25)}</CHAR_INTERVENTIONS><CHAR_OUTCOMES><UL><LI>${text(6)}</LI><LI>${text(6)}</LI><LI>${text(6)}</LI></UL></CHAR_OUTCOMES><CHAR_NOTES>${paras(2, 30)}</CHAR_NOTES></INCLUDED_CHAR>`);
  }
  x.push("</CHARACTERISTICS_OF_INCLUDED_STUDIES><CHARACTERISTICS_OF_EXCLUDED_STUDIES>");
  for (let s = 0; s < EXCLUDED; s++) x.push(`<EXCLUDED_CHAR STUDY_ID="STD-excluded-${s}"><CHAR_REASON_FOR_EXCLUSION>${paras(1, 8)}</CHAR_REASON_FOR_EXCLUSION></EXCLUDED_CHAR>`);
  x.push("</CHARACTERISTICS_OF_EXCLUDED_STUDIES></CHARACTERISTICS_OF_STUDIES>");
  const items = ["Random sequence generation (selection bias)", "Allocation concealment (selection bias)", "Blinding of participants and personnel (performance bias)", "Blinding of outcome assessment (detection bias)", "Incomplete outcome data (attrition bias)", "Selective reporting (reporting bias)", "Other bias"];
  x.push("<QUALITY_ITEMS>");
  items.forEach((name, i) => {
    x.push(`<QUALITY_ITEM ID="QIT-0${i + 1}" LEVEL="STUDY"><NAME>${name}</NAME><DESCRIPTION><P>${text(10)}</P></DESCRIPTION><QUALITY_ITEM_DATA>`);
    for (let s = 0; s < STUDIES; s++) x.push(`<QUALITY_ITEM_DATA_ENTRY RESULT="${["YES", "NO", "UNKNOWN"][int(0, 2)]}" STUDY_ID="STD-included-${s}"><DESCRIPTION>${int(0, 2) ? `<P>${text(14)}</P>` : paras(2, 14)}</DESCRIPTION></QUALITY_ITEM_DATA_ENTRY>`);
    x.push("</QUALITY_ITEM_DATA></QUALITY_ITEM>");
  });
  x.push("</QUALITY_ITEMS>", analyses(), `<FIGURES><FIGURE ID="FIG-01" FILENAME="f1.png"><CAPTION><P>Flow</P></CAPTION></FIGURE></FIGURES></COCHRANE_REVIEW>`);
  return x.join("\n") + "\n";
}
