/** The package version, written into every manifest. Kept in step with package.json (a test checks). */
export const VERSION = '0.1.0';
