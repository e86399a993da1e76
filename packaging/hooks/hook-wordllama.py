"""WordLlama (the opt-in embedder) loads its weights, tokenizer config and model config from
package data; the Cython sources and training configs are left out."""

from PyInstaller.utils.hooks import collect_data_files

datas = collect_data_files("wordllama", excludes=["**/*.pyx", "**/*.pxd", "**/*.c", "**/*.cpp", "config/train/**",
                                                  "RESULTS.md"])
