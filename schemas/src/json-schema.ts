/** Builds the JSON Schema of the format from the zod schema (the source of truth). */
import { z } from "zod";
import { Protocol } from "./protocol";

function protocolJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(Protocol, { target: "draft-7", unrepresentable: "any" }) as Record<string, unknown>;
  return {
    $schema: "http://json-schema.org/draft-07/schema#",
    $id: "https://review-protocol.invalid/protocol.schema.json",
    title: "Systematic review protocol",
    ...schema,
  };
}

/** The text written to schemas/protocol.schema.json. */
export function protocolJsonSchemaText(): string {
  return JSON.stringify(protocolJsonSchema(), null, 2) + "\n";
}
