#include "coordinator/command/command_line.h"

#include <string_view>

namespace parlab {
namespace {

// GNU parallel: {.} is s:\.[^/.]+$::, {/} is s:.*/::, {//} is dirname.
std::string WithoutExtension(const std::string& path) {
  const size_t dot = path.rfind('.');
  if (dot == std::string::npos || dot + 1 == path.size()) return path;
  if (path.find_first_of("/.", dot + 1) != std::string::npos) return path;
  return path.substr(0, dot);
}

std::string BaseName(const std::string& path) {
  const size_t slash = path.rfind('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

std::string DirName(const std::string& path) {
  std::string p = path;
  while (p.size() > 1 && p.back() == '/') p.pop_back();
  const size_t slash = p.rfind('/');
  if (slash == std::string::npos) return ".";
  size_t end = slash;
  while (end > 0 && p[end - 1] == '/') --end;
  return end == 0 ? "/" : p.substr(0, end);
}

struct Replacement {
  std::string_view token;
  int kind;
};
constexpr Replacement kReplacements[] = {
    {"{//}", 3}, {"{/.}", 4}, {"{}", 0}, {"{.}", 1}, {"{/}", 2}, {"{#}", 5},
};

bool HasPlaceholder(const std::string& word) {
  for (const Replacement& r : kReplacements) {
    if (word.find(r.token) != std::string::npos) return true;
  }
  return false;
}

}  // namespace

std::string ExpandPlaceholders(const std::string& word, const std::string& input, uint64_t seq) {
  std::string out;
  size_t i = 0;
  while (i < word.size()) {
    bool replaced = false;
    if (word[i] == '{') {
      for (const Replacement& r : kReplacements) {
        if (word.compare(i, r.token.size(), r.token) != 0) continue;
        switch (r.kind) {
          case 0:
            out += input;
            break;
          case 1:
            out += WithoutExtension(input);
            break;
          case 2:
            out += BaseName(input);
            break;
          case 3:
            out += DirName(input);
            break;
          case 4:
            out += WithoutExtension(BaseName(input));
            break;
          default:
            out += std::to_string(seq);
            break;
        }
        i += r.token.size();
        replaced = true;
        break;
      }
    }
    if (!replaced) out += word[i++];
  }
  return out;
}

Result<std::vector<std::string>> SplitCommandWords(const std::string& text) {
  std::vector<std::string> words;
  std::string word;
  bool in_word = false;
  size_t i = 0;
  while (i < text.size()) {
    const char c = text[i];
    if (c == ' ' || c == '\t' || c == '\n') {
      if (in_word) words.push_back(std::move(word));
      word.clear();
      in_word = false;
      ++i;
      continue;
    }
    in_word = true;
    if (c == '\'') {
      const size_t end = text.find('\'', i + 1);
      if (end == std::string::npos) return InvalidArgument("--cmd: a ' is not closed: " + text);
      word.append(text, i + 1, end - i - 1);
      i = end + 1;
    } else if (c == '"') {
      ++i;
      for (;;) {
        if (i >= text.size()) return InvalidArgument("--cmd: a \" is not closed: " + text);
        if (text[i] == '"') break;
        // Inside double quotes a backslash escapes only these (POSIX).
        if (text[i] == '\\' && i + 1 < text.size() &&
            std::string_view("\"\\$`\n").find(text[i + 1]) != std::string_view::npos) {
          ++i;
        }
        word += text[i++];
      }
      ++i;
    } else if (c == '\\') {
      if (i + 1 >= text.size()) return InvalidArgument("--cmd ends in a lone backslash: " + text);
      word += text[i + 1];
      i += 2;
    } else {
      word += c;
      ++i;
    }
  }
  if (in_word) words.push_back(std::move(word));
  if (words.empty()) return InvalidArgument("--cmd needs a program, got '" + text + "'");
  return words;
}

std::string ShellQuote(const std::string& word) {
  if (!word.empty() && word.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                              "0123456789_-+=./:,@%^") == std::string::npos) {
    return word;
  }
  std::string out = "'";
  for (char c : word) {
    if (c == '\'') {
      out += "'\\''";
    } else {
      out += c;
    }
  }
  return out + "'";
}

Result<CommandTemplate> CommandTemplate::Parse(const std::string& text, bool shell) {
  CommandTemplate t;
  t.text_ = text;
  t.shell_ = shell;
  if (shell) {
    if (text.find_first_not_of(" \t\n") == std::string::npos) {
      return InvalidArgument("--cmd needs a command, got '" + text + "'");
    }
    t.append_input_ = !HasPlaceholder(text);
    return t;
  }
  PARLAB_ASSIGN_OR_RETURN(t.words_, SplitCommandWords(text));
  t.append_input_ = true;
  for (const std::string& word : t.words_) {
    if (HasPlaceholder(word)) t.append_input_ = false;
  }
  return t;
}

std::vector<std::string> CommandTemplate::Argv(const std::string& input, uint64_t seq) const {
  if (shell_) {
    std::string line = ExpandPlaceholders(text_, input, seq);
    if (append_input_) line += " " + input;
    return {"/bin/sh", "-c", line};
  }
  std::vector<std::string> argv;
  argv.reserve(words_.size() + 1);
  for (const std::string& word : words_) argv.push_back(ExpandPlaceholders(word, input, seq));
  if (append_input_) argv.push_back(input);
  return argv;
}

std::string CommandTemplate::Line(const std::string& input, uint64_t seq) const {
  if (shell_) {
    std::string line = ExpandPlaceholders(text_, input, seq);
    if (append_input_) line += " " + input;
    return line;
  }
  std::string line;
  for (const std::string& word : Argv(input, seq)) {
    if (!line.empty()) line += ' ';
    line += ShellQuote(word);
  }
  return line;
}

}  // namespace parlab
