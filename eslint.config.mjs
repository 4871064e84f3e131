// ESLint flat config: typescript-eslint's type-aware rules plus Pulumi's Output rules
// (an Output interpolated into a template string is a bug: use pulumi.interpolate).
import pulumi from "@pulumi/eslint-plugin";
import tseslint from "typescript-eslint";

export default tseslint.config(
    { ignores: ["bin/**", "policies/bin/**", "node_modules/**", "coverage/**", "eslint.config.mjs"] },
    ...tseslint.configs.recommended,
    {
        files: ["**/*.ts"],
        languageOptions: {
            parserOptions: { project: ["./tsconfig.check.json"], tsconfigRootDir: import.meta.dirname },
        },
        plugins: { pulumi },
        rules: {
            "pulumi/no-output-in-template-literal": "error",
            "pulumi/no-output-instance-in-template-literal": "error",
            "@typescript-eslint/no-floating-promises": "error",
            "@typescript-eslint/no-unused-vars": [
                "error",
                { argsIgnorePattern: "^_", varsIgnorePattern: "^_", destructuredArrayIgnorePattern: "^_" },
            ],
        },
    },
    {
        // Benchmark helpers are plain CommonJS scripts run by node.
        files: ["**/*.cjs"],
        languageOptions: {
            sourceType: "commonjs",
            globals: { require: "readonly", process: "readonly", __dirname: "readonly", performance: "readonly", setImmediate: "readonly" },
        },
        rules: { "@typescript-eslint/no-require-imports": "off" },
    },
);
