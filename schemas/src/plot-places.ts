/**
 * Where each analysis is in the protocol, sent with the plots so that the
 * webview shows the analysis under the cursor first and a picker reaches the
 * others. One definition, read by server and client.
 */
export interface PlotPlace {
  /** The analysis's id: the key of its forest and funnel plots. */
  id: string;
  /** Its `name`, else its outcome's name (the picker's label). */
  name?: string;
  /** [start, end) of its `analyses` item in the document (UTF-16 offsets). */
  start: number;
  end: number;
}
