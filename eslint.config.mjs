// ESLint for the whole project: typescript-eslint's recommended rules with type information, so a floating promise
// or a misused one is an error. Formatting is Prettier's (.prettierrc.json), not ESLint's.
import js from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
    // policy/index.cjs is the policy pack's CommonJS shim: four lines that load the compiled pack.
    { ignores: ["bin/", "node_modules/", ".work/", ".pulumi-state/", "test/fixtures/", "docs/", "policy/index.cjs"] },
    js.configs.recommended,
    ...tseslint.configs.recommendedTypeChecked,
    {
        languageOptions: {
            parserOptions: {
                projectService: { allowDefaultProject: ["*.mjs", "cli/*.mjs", "lib/*.mjs", "stacks/*.mjs"] },
                tsconfigRootDir: import.meta.dirname,
            },
        },
        rules: {
            // `_` prefixes mark what a signature must take but a body does not use.
            "@typescript-eslint/no-unused-vars": [
                "error",
                { argsIgnorePattern: "^_", varsIgnorePattern: "^_", caughtErrors: "none" },
            ],
            // Pulumi's and the test runner's APIs are promise-valued by design; floating ones are still errors.
            "@typescript-eslint/no-floating-promises": [
                "error",
                {
                    allowForKnownSafeCalls: [
                        {
                            from: "package",
                            package: "node:test",
                            name: ["describe", "it", "before", "after", "beforeEach", "afterEach"],
                        },
                    ],
                },
            ],
            "@typescript-eslint/restrict-template-expressions": [
                "error",
                { allowNumber: true, allowBoolean: true, allowNullish: true },
            ],
            // Handlers and commands implement async interfaces; a body with nothing to await is still one of them.
            "@typescript-eslint/require-await": "off",
            // Prettier wraps code at 120 columns; comments are wrapped by hand, long strings and URLs stay whole.
            "max-len": [
                "error",
                {
                    code: 120,
                    ignoreStrings: true,
                    ignoreTemplateLiterals: true,
                    ignoreUrls: true,
                    ignoreRegExpLiterals: true,
                },
            ],
        },
    },
    {
        // Tests probe arbitrary JSON (plans, reports, kube objects) through `any`; the unsafe-use rules would only
        // restate that on every line.
        files: ["test/**/*.ts"],
        rules: {
            "@typescript-eslint/no-unsafe-member-access": "off",
            "@typescript-eslint/no-unsafe-assignment": "off",
            "@typescript-eslint/no-unsafe-call": "off",
            "@typescript-eslint/no-unsafe-argument": "off",
            "@typescript-eslint/no-unsafe-return": "off",
        },
    },
    {
        files: ["**/*.mjs"],
        ...tseslint.configs.disableTypeChecked,
        languageOptions: { globals: { process: "readonly", console: "readonly" } },
    },
);
