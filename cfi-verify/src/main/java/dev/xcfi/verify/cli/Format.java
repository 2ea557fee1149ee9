package dev.xcfi.verify.cli;

/** Output formats: {@code tsv} for scripts, {@code json} for tools, {@code text} for people. */
enum Format { tsv, json, text }
