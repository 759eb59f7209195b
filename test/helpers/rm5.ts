/**
 * Small RevMan 5 files built in the tests (never read from elsewhere): a review
 * from its parts, and a complete one with every part the import maps — track
 * changes, markup, entities, authors, every kind of reference with identifiers,
 * primary outcomes named in the methods, graph labels and axis scales.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

export interface Rm5Parts {
  cover?: string;
  mainText?: string;
  studies?: string;
  otherReferences?: string;
  characteristics?: string;
  quality?: string;
  analyses?: string;
  /** Elements after the analyses (figures, appendices…). */
  tail?: string;
}

/** A RevMan 5 review made of the given parts (each the inside of its element). */
export function rm5(parts: Rm5Parts): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<COCHRANE_REVIEW TYPE="INTERVENTION" DOI="10.1002/14651858.CD000001.pub2" STAGE="R">
<COVER_SHEET>${parts.cover ?? "<TITLE>A review</TITLE>"}</COVER_SHEET>
<MAIN_TEXT>${parts.mainText ?? ""}</MAIN_TEXT>
<STUDIES_AND_REFERENCES><STUDIES>${parts.studies ?? ""}</STUDIES>
<OTHER_REFERENCES>${parts.otherReferences ?? ""}</OTHER_REFERENCES></STUDIES_AND_REFERENCES>
<CHARACTERISTICS_OF_STUDIES>${parts.characteristics ?? ""}</CHARACTERISTICS_OF_STUDIES>
<QUALITY_ITEMS>${parts.quality ?? ""}</QUALITY_ITEMS>
<ANALYSES_AND_DATA>${parts.analyses ?? ""}</ANALYSES_AND_DATA>
${parts.tail ?? ""}
</COCHRANE_REVIEW>
`;
}

/** RR of one study, 1/10 vs 2/10, with the results RevMan stores for it (or a wrong effect). */
export function storedRR(wrong = false): { outcome: string; row: string } {
  const effect = 0.5;
  const se = Math.sqrt(1 / 1 - 1 / 10 + 1 / 2 - 1 / 10);
  const [lo, hi] = [Math.exp(Math.log(effect) - 1.959963984540054 * se), Math.exp(Math.log(effect) + 1.959963984540054 * se)];
  const z = Math.abs(Math.log(effect)) / se;
  const stored = `EFFECT_SIZE="${wrong ? 0.6 : effect}" CI_START="${lo}" CI_END="${hi}" Z="${z}" CHI2="0.0" DF="0" I2="0.0"`;
  return { outcome: stored, row: `EFFECT_SIZE="${effect}" CI_START="${lo}" CI_END="${hi}" WEIGHT="100.0" ESTIMABLE="YES"` };
}

/** One comparison with one RR outcome and one study's row. */
export function oneAnalysis(name: string, row: string, outcomeAttributes = ""): string {
  return `<COMPARISON ID="CMP-001" NO="1"><NAME>A vs B</NAME>
<DICH_OUTCOME ID="CMP-001.01" NO="1" EFFECT_MEASURE="RR" METHOD="MH" RANDOM="NO" TOTALS="YES" SUBGROUPS="NO" ${outcomeAttributes}>
<NAME>${name}</NAME><GROUP_LABEL_1>A</GROUP_LABEL_1><GROUP_LABEL_2>B</GROUP_LABEL_2>
${row}
</DICH_OUTCOME></COMPARISON>`;
}

export const SMITH = `<INCLUDED_STUDIES><STUDY ID="STD-Smith-2001" NAME="Smith 2001" YEAR="2001"></STUDY></INCLUDED_STUDIES>`;

/** A complete review: every part the import maps, with track changes, markup and entities where RevMan has them. */
export const FULL = rm5({
  cover: `<TITLE>Benzodiazepines for <I>generalised</I> anxiety</TITLE>
<CONTACT><PERSON ID="P1" ROLE="AUTHOR"><FIRST_NAME>Ann</FIRST_NAME><LAST_NAME>Smith</LAST_NAME><EMAIL_1>ann@example.org</EMAIL_1>
<ADDRESS><DEPARTMENT>Dept of Psychiatry</DEPARTMENT><ORGANISATION>University of York</ORGANISATION><ADDRESS_1>1 Road</ADDRESS_1><CITY>York</CITY><ZIP>YO1</ZIP><COUNTRY CODE="GB">UK</COUNTRY></ADDRESS></PERSON></CONTACT>
<CREATORS>
<PERSON ID="P1" ROLE="AUTHOR"><FIRST_NAME>Ann</FIRST_NAME><MIDDLE_INITIALS>B</MIDDLE_INITIALS><LAST_NAME>Smith</LAST_NAME></PERSON>
<PERSON ID="P2" ROLE="AUTHOR"><FIRST_NAME>Jürgen</FIRST_NAME><LAST_NAME>M&amp;uuml;ller</LAST_NAME><ADDRESS><ORGANISATION>Charit&eacute;</ORGANISATION><COUNTRY>Germany</COUNTRY></ADDRESS></PERSON>
<PERSON ID="P3" ROLE="AUTHOR"><FIRST_NAME/><LAST_NAME/></PERSON>
</CREATORS>
<DATES><LAST_SEARCH><DATE DAY="3" MONTH="7" YEAR="2013"/></LAST_SEARCH><REVIEW_PUBLISHED ISSUE="11" YEAR="2013"/><NEXT_STAGE><DATE DAY="" MONTH="" YEAR=""/></NEXT_STAGE></DATES>
<WHATS_NEW><WHATS_NEW_EVENT><DATE YEAR="2013"/><DESCRIPTION><P>Search updated.</P></DESCRIPTION></WHATS_NEW_EVENT></WHATS_NEW>
<HISTORY/>
<SOURCES_OF_SUPPORT><INTERNAL_SOURCES><SOURCE><NAME>University of York</NAME><COUNTRY CODE="GB">UK</COUNTRY><DESCRIPTION><P>Salaries</P></DESCRIPTION></SOURCE></INTERNAL_SOURCES>
<EXTERNAL_SOURCES><SOURCE><NAME>NIHR</NAME><COUNTRY CODE="GB">UK</COUNTRY></SOURCE></EXTERNAL_SOURCES></SOURCES_OF_SUPPORT>`,
  mainText: `<SUMMARY><TITLE>[Plain language title]</TITLE><SUMMARY_BODY><P>[Summary text]</P></SUMMARY_BODY></SUMMARY>
<ABSTRACT><ABS_BACKGROUND><P>Anxiety is common.</P></ABS_BACKGROUND><ABS_OBJECTIVES/></ABSTRACT>
<BODY>
<BACKGROUND><CONDITION><P>Anxiety is <B>common</B>.</P><P>It is costly.</P></CONDITION><INTERVENTION/><THEORY/><IMPORTANCE><P>It matters.</P></IMPORTANCE></BACKGROUND>
<OBJECTIVES><P>To assess the <DEL>harms</DEL><INS>benefits and harms</INS> of benzodiazepines.</P></OBJECTIVES>
<METHODS><SELECTION_CRITERIA>
<CRIT_STUDIES><P>Randomised controlled trials.</P></CRIT_STUDIES>
<CRIT_PARTICIPANTS><P><B>Diagnosis</B>:DSM-IV generalised anxiety disorder.</P></CRIT_PARTICIPANTS>
<CRIT_INTERVENTIONS><UL><LI>Benzodiazepines</LI><LI>Pregabalin</LI></UL></CRIT_INTERVENTIONS>
<CRIT_OUTCOMES><CRIT_OUTCOMES_PRIMARY><OL><LI>Response: 50% reduction in HAM-A</LI><LI>Dropouts</LI></OL></CRIT_OUTCOMES_PRIMARY>
<CRIT_OUTCOMES_SECONDARY><OL><LI>Adverse events</LI><LI>Quality of life</LI></OL></CRIT_OUTCOMES_SECONDARY></CRIT_OUTCOMES>
</SELECTION_CRITERIA>
<SEARCH_METHODS><ELECTRONIC_SEARCHES><P>We searched CENTRAL, MEDLINE and Embase.</P></ELECTRONIC_SEARCHES><OTHER_SEARCHES><P>Reference lists.</P></OTHER_SEARCHES></SEARCH_METHODS>
<DATA_COLLECTION><STUDY_SELECTION><P>Two authors.</P></STUDY_SELECTION><QUALITY_ASSESSMENT><P>RoB 1.</P></QUALITY_ASSESSMENT><DATA_SYNTHESIS><P>Random effects.</P></DATA_SYNTHESIS><SENSITIVITY_ANALYSIS/></DATA_COLLECTION>
</METHODS>
<RESULTS><SEARCH_RESULTS><P>We found two trials.</P><P>And excluded one.</P></SEARCH_RESULTS></RESULTS>
<DISCUSSION><SUMMARY_OF_RESULTS/></DISCUSSION>
</BODY>
<ACKNOWLEDGEMENTS/>`,
  studies: `<INCLUDED_STUDIES>
<STUDY ID="STD-Adams-2001" NAME="Adams 2001" YEAR="2001">
<REFERENCE ID="REF-1" PRIMARY="YES" TYPE="JOURNAL_ARTICLE"><AU>Adams JB, Brown C</AU><TI>Lorazepam in <I>generalised</I> anxiety</TI><SO>Lancet</SO><YR>2001</YR><VL>357</VL><NO>2</NO><PG>100-5</PG>
<IDENTIFIERS><IDENTIFIER TYPE="DOI" VALUE="10.1016/S0140-6736(01)00001-1"/><IDENTIFIER VALUE="11111111" TYPE="PUBMED"/><IDENTIFIER TYPE="EMBASE" VALUE="2001012345"/></IDENTIFIERS></REFERENCE>
<REFERENCE ID="REF-2" PRIMARY="NO" TYPE="CONFERENCE_PROC"><AU>Adams JB</AU><TI>An abstract</TI><SO>Proceedings</SO><YR>2000</YR></REFERENCE>
<IDENTIFIERS><IDENTIFIER TYPE="OTHER" VALUE="ISRCTN12345678"/><IDENTIFIER TYPE="OTHER" VALUE="Protocol 55"/></IDENTIFIERS>
</STUDY>
<STUDY ID="STD-Baker-2005" NAME="Baker 2005" YEAR="2005"><REFERENCE ID="REF-3" TYPE="JOURNAL_ARTICLE"><AU>Baker D</AU><TI>Pregabalin</TI><YR>2005</YR></REFERENCE></STUDY>
</INCLUDED_STUDIES>
<EXCLUDED_STUDIES><STUDY ID="STD-Cole-1999" NAME="Cole 1999" YEAR="1999"><REFERENCE ID="REF-4" TYPE="JOURNAL_ARTICLE"><AU>Cole E</AU><TI>Not randomised</TI><YR>1999</YR></REFERENCE></STUDY></EXCLUDED_STUDIES>
<AWAITING_STUDIES><STUDY ID="STD-Dunn-2012" NAME="Dunn 2012" YEAR="2012"><REFERENCE ID="REF-5" TYPE="JOURNAL_ARTICLE"><AU>Dunn F</AU><TI>To be assessed</TI><YR>2012</YR><IDENTIFIERS><IDENTIFIER TYPE="PUBMED" VALUE="22222222"/></IDENTIFIERS></REFERENCE></STUDY></AWAITING_STUDIES>
<ONGOING_STUDIES><STUDY ID="STD-Eve-2013" NAME="Eve 2013" YEAR="2013"><REFERENCE ID="REF-6" TYPE="UNPUBLISHED"><AU>Eve G</AU><TI>Ongoing</TI><YR>2013</YR><IDENTIFIERS><IDENTIFIER TYPE="OTHER" VALUE="NCT01234567"/></IDENTIFIERS></REFERENCE></STUDY></ONGOING_STUDIES>`,
  otherReferences: `<ADDITIONAL_REFERENCES><REFERENCE ID="REF-Higgins-2011" TYPE="BOOK"><AU>Higgins JPT, Green S</AU><TI>Cochrane Handbook</TI><YR>2011</YR><PB>Wiley</PB><CY>Chichester</CY></REFERENCE>
<REFERENCE ID="REF-Smith-2010" TYPE="JOURNAL_ARTICLE"><AU>Smith A</AU><TI>Background</TI><SO>BMJ</SO><YR>2010</YR><IDENTIFIERS><IDENTIFIER TYPE="DOI" VALUE="10.1136/bmj.c1"/></IDENTIFIERS></REFERENCE></ADDITIONAL_REFERENCES>
<OTHER_VERSIONS_REFERENCES><REFERENCE ID="REF-Smith-2005" TYPE="COCHRANE_REVIEW"><AU>Smith A</AU><TI>First version</TI><YR>2005</YR></REFERENCE></OTHER_VERSIONS_REFERENCES>
<PENDING_REFERENCES><REFERENCE ID="REF-P" TYPE="JOURNAL_ARTICLE"><AU>Zed Z</AU><TI>Pending</TI><YR>2013</YR></REFERENCE></PENDING_REFERENCES>`,
  characteristics: `<CHARACTERISTICS_OF_INCLUDED_STUDIES USER_DEF_1_NAME="Funding" USER_DEF_1_ENABLED="YES">
<INCLUDED_CHAR STUDY_ID="STD-Adams-2001"><CHAR_METHODS><P>Randomised</P><P>Parallel <DEL>group</DEL><INS>groups</INS>, <B>8</B> weeks</P></CHAR_METHODS><CHAR_PARTICIPANTS><P><B>Diagnosis</B>:DSM-IV</P></CHAR_PARTICIPANTS><CHAR_USER_DEF_1><P>Pharma</P></CHAR_USER_DEF_1><CHAR_NOTES/></INCLUDED_CHAR>
<INCLUDED_CHAR STUDY_ID="STD-Baker-2005"><CHAR_METHODS/><CHAR_USER_DEF_1/></INCLUDED_CHAR>
<FOOTNOTES><P/></FOOTNOTES>
</CHARACTERISTICS_OF_INCLUDED_STUDIES>
<CHARACTERISTICS_OF_EXCLUDED_STUDIES><EXCLUDED_CHAR STUDY_ID="STD-Cole-1999"><CHAR_REASON_FOR_EXCLUSION><P>Not randomised</P></CHAR_REASON_FOR_EXCLUSION></EXCLUDED_CHAR></CHARACTERISTICS_OF_EXCLUDED_STUDIES>`,
  quality: `<QUALITY_ITEM ID="QIT-01" LEVEL="STUDY"><NAME>Random sequence generation (selection bias)</NAME><DESCRIPTION><P>Was it random?</P></DESCRIPTION><QUALITY_ITEM_DATA>
<QUALITY_ITEM_DATA_ENTRY RESULT="YES" STUDY_ID="STD-Adams-2001"><DESCRIPTION><P>Computer list</P></DESCRIPTION></QUALITY_ITEM_DATA_ENTRY>
<QUALITY_ITEM_DATA_ENTRY RESULT="YES" STUDY_ID="STD-Adams-2001"><DESCRIPTION><P>Computer list</P></DESCRIPTION></QUALITY_ITEM_DATA_ENTRY>
<QUALITY_ITEM_DATA_ENTRY RESULT="UNKNOWN" STUDY_ID="STD-Baker-2005"><DESCRIPTION><P>Not described.</P><P>Quote: "randomised"</P></DESCRIPTION></QUALITY_ITEM_DATA_ENTRY>
</QUALITY_ITEM_DATA></QUALITY_ITEM>
<QUALITY_ITEM ID="QIT-02" LEVEL="STUDY"><NAME>Allocation concealment (selection bias)</NAME><QUALITY_ITEM_DATA/></QUALITY_ITEM>`,
  analyses: `<COMPARISON ID="CMP-001" NO="1"><NAME>Benzodiazepines vs Pregabalin</NAME>
<DICH_OUTCOME ID="CMP-001.01" NO="1" EFFECT_MEASURE="RR" METHOD="MH" RANDOM="NO" TOTALS="YES" SUBGROUPS="NO" SCALE="10.0">
<NAME><INS>Response</INS></NAME><GROUP_LABEL_1>Benzodiazepines</GROUP_LABEL_1><GROUP_LABEL_2>Pregabalin</GROUP_LABEL_2><GRAPH_LABEL_1>Favours pregabalin</GRAPH_LABEL_1><GRAPH_LABEL_2>Favours <B>benzodiazepines</B></GRAPH_LABEL_2>
<DICH_DATA STUDY_ID="STD-Adams-2001" EVENTS_1="10" EVENTS_2="12" TOTAL_1="50" TOTAL_2="50"><FOOTNOTE>Week 8</FOOTNOTE></DICH_DATA>
<DICH_DATA STUDY_ID="STD-Baker-2005" EVENTS_1="20" EVENTS_2="15" TOTAL_1="60" TOTAL_2="61"/>
</DICH_OUTCOME>
<DICH_OUTCOME ID="CMP-001.02" NO="2" EFFECT_MEASURE="RR" METHOD="MH" RANDOM="NO" TOTALS="YES" SUBGROUPS="YES">
<NAME>Adverse events at 8 weeks</NAME><GROUP_LABEL_1>Benzodiazepines</GROUP_LABEL_1><GROUP_LABEL_2>Pregabalin</GROUP_LABEL_2>
<DICH_SUBGROUP><NAME>Low <DEL>doze</DEL><INS>dose</INS></NAME><DICH_DATA STUDY_ID="STD-Adams-2001" EVENTS_1="3" EVENTS_2="2" TOTAL_1="50" TOTAL_2="50"/></DICH_SUBGROUP>
</DICH_OUTCOME>
<IV_OUTCOME ID="CMP-001.03" NO="3" LOG_DATA="YES" RANDOM="NO" TOTALS="YES" SUBGROUPS="NO" SCALE="100.0">
<NAME>Time to relapse</NAME><GROUP_LABEL_1>Benzodiazepines</GROUP_LABEL_1><GROUP_LABEL_2>Pregabalin</GROUP_LABEL_2><EFFECT_MEASURE>Hazard Ratio</EFFECT_MEASURE>
<IV_DATA STUDY_ID="STD-Baker-2005" ESTIMATE="-0.2" SE="0.1"/>
</IV_OUTCOME>
</COMPARISON>`,
  tail: `<FIGURES><FIGURE ID="FIG-01" FILENAME="flow.png"><CAPTION><P>Flow diagram</P></CAPTION></FIGURE></FIGURES><FEEDBACK/><APPENDICES/>`,
});

const folders: string[] = [];

/** A fresh temporary folder holding `files` (name -> text); `removeFolders` deletes them all. */
export function folderWith(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "rp-import-"));
  folders.push(dir);
  for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), text);
  return dir;
}

export function removeFolders(): void {
  for (const dir of folders.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
}
