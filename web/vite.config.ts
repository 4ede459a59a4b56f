import react from "@vitejs/plugin-react";
import { defineConfig } from "vitest/config";

export default defineConfig({
  plugins: [react()],
  build: {
    target: "es2022",
    // Inline nothing as base64 and keep CSS in one file: what the size budget measures.
    assetsInlineLimit: 0,
    cssCodeSplit: false,
    // amazon-connect-streams (~730 KB) is a lazy chunk loaded only by the AWS agent desktop.
    chunkSizeWarningLimit: 800,
  },
  css: { preprocessorOptions: { scss: { quietDeps: true } } },
  test: {
    environment: "jsdom",
    setupFiles: ["./src/test-setup.ts"],
    css: false,
  },
});
