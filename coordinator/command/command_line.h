#pragma once
// A command template (`--cmd 'gzip -9 -k {}'`) and what it becomes for one
// input: GNU parallel's replacement strings, without a shell.
//
// The template is split into words once, as a POSIX shell splits them
// ('single', "double" and backslash quoting; nothing is expanded). Each word
// then has its replacement strings put in: an input with spaces or quotes in
// it stays inside its word, so a file name is one argument whatever it holds.
// A template with no replacement string gets the input as its last argument,
// as GNU parallel and xargs do. With --shell the template is not split: the
// input is put into the text as it is and `/bin/sh -c` runs it (quoting is
// then the user's). Immutable after Parse; safe to share between threads.
//
// Replacement strings (GNU parallel's definitions):
//   {}    the input                        dir/file.tar.gz
//   {.}   without its extension            dir/file.tar
//   {/}   its base name                    file.tar.gz
//   {//}  its directory ("." if none)      dir
//   {/.}  base name without extension      file.tar
//   {#}   its number, from 1               7

#include <cstdint>
#include <string>
#include <vector>

#include "shared/status.h"

namespace parlab {

// `word` with every replacement string put in for `input`, number `seq`.
std::string ExpandPlaceholders(const std::string& word, const std::string& input, uint64_t seq);

// Splits `text` into words as a shell would, without expanding anything.
// Errors (kInvalidArgument, naming --cmd): an unterminated quote, no words.
Result<std::vector<std::string>> SplitCommandWords(const std::string& text);

// `word` quoted for a POSIX shell when it needs to be (for --dry-run and logs).
std::string ShellQuote(const std::string& word);

class CommandTemplate {
 public:
  static Result<CommandTemplate> Parse(const std::string& text, bool shell);

  // The program and its arguments for one input.
  std::vector<std::string> Argv(const std::string& input, uint64_t seq) const;
  // The same as one line a shell would run alike (--dry-run, the log).
  std::string Line(const std::string& input, uint64_t seq) const;

 private:
  std::string text_;
  bool shell_ = false;
  std::vector<std::string> words_;
  bool append_input_ = false;  // no replacement string: the input goes last
};

}  // namespace parlab
