import react from "@vitejs/plugin-react";
import { defineConfig } from "vitest/config";

export default defineConfig({
  plugins: [react()],
  build: {
    target: "es2022",
    // Inline nothing as base64 and keep CSS in one file: what the size budget measures.
    assetsInlineLimit: 0,
    cssCodeSplit: false,
  },
  css: { preprocessorOptions: { scss: { quietDeps: true } } },
  server: {
    // `npm run dev` against a running local stack (`make run`) on port 8000.
    proxy: { "/config.json": "http://127.0.0.1:8000", "/api": "http://127.0.0.1:8000", "/cognito": "http://127.0.0.1:8000", "/local": "http://127.0.0.1:8000" },
  },
  test: {
    environment: "jsdom",
    setupFiles: ["./src/test-setup.ts"],
    css: false,
  },
});
