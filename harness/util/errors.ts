/** Bad input (scenario file, flag, name, fault): the message says what is allowed. The CLI exits 2. */
export class InputError extends Error {}
