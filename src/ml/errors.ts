/** A caller gave the library data or a model it cannot use; the message says what and where. */
export class MlInputError extends Error {
  override name = "MlInputError";
}
