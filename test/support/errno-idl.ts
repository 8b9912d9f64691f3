// The errno enum a test contract needs when it has functions with glue: exactly the members the
// TypeScript glue answers with (E0221 requires them). One copy for the tests that build contracts.

export const GLUE_ERRNO_IDL = `/// Error codes.
@since(1.0.0)
enum errno: u16 {
    /// Fine.
    success = 0,
    /// Bad address.
    fault = 21,
    /// Illegal byte sequence.
    ilseq = 25,
    /// Invalid argument.
    inval = 28,
    /// I/O error.
    io = 29,
}
`;

/** The same enum, `@open` (new members may come in later versions). */
export const OPEN_GLUE_ERRNO_IDL = GLUE_ERRNO_IDL.replace("@since(1.0.0)\n", "@since(1.0.0) @open\n");
