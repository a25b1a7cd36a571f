#pragma once

#include <QString>
#include <QStringList>

#include <optional>

namespace relaydeck {

// A command line as text and as program + arguments, for password commands (SecretSource):
// relaydeck-cli's --password-command, the editor's command field, and msmtp's passwordeval.
// Relaydeck itself never runs a shell; POSIX quoting is only the way to write the words down.
class CommandWords
{
public:
    // Splits `text` into words at blanks, honouring 'single quotes', "double quotes" (where a
    // backslash escapes \ " $ and `) and a backslash outside quotes. Nullopt when a quote is not
    // closed. No expansion of any kind: "$HOME" stays the five characters.
    static std::optional<QStringList> split(const QString& text);
    // The words written so that split() (and a POSIX shell) gives them back: each word that has
    // anything but letters, digits and -_./:=@%+, in single quotes.
    static QString join(const QStringList& words);
    // True when `text` means something only a shell understands: a pipe, redirection, `;`, `&`,
    // `$` (expansion), backquotes, a glob, a tilde at the start of a word, parentheses or braces,
    // or a line break. msmtp runs passwordeval through /bin/sh; such a command is kept as
    // `sh -c TEXT` on import, everything else as its own program and arguments.
    static bool needsShell(const QString& text);
};

} // namespace relaydeck
