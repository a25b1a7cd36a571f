#pragma once

// Shared helpers of the ui suite (tests/ui/tst_*.cpp): a Prompter whose answers the test queues
// in advance, a TCP forwarder that lets one port reach several ScriptedSmtpServers in turn, and
// small lookups of widgets by objectName.

#include "LastTestResult.h"
#include "Prompter.h"
#include "i18n/Translations.h"

#include <QApplication>
#include <QLocale>

#include <QAbstractButton>
#include <QDir>
#include <QList>
#include <QPointer>
#include <QQueue>
#include <QStandardPaths>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>
#include <QWidget>

#include <functional>
#include <optional>
#include <variant>

namespace relaydeck::ui {

// QCOMPARE prints LastTestResult::Status by name.
inline char* toString(LastTestResult::Status status)
{
    static const char* const names[] = {"Untested", "Running", "Passed", "Failed", "Skipped"};
    return qstrdup(names[int(status)]);
}

} // namespace relaydeck::ui

namespace relaydeck::uitest {

using namespace relaydeck::ui;

// Answers every question from queues the test fills; records what was asked. A question with no
// queued answer is answered "cancel" and recorded in unexpected(), so a test sees it.
class ScriptedPrompter : public Prompter
{
public:
    struct Question
    {
        QString kind; // "unsaved", "confirm", "text", "item", "preset", "export", "conflict",
                      // "open", "save", "detect", "trust", "import", "inform"
        QString title;
        QString text;
    };

    QQueue<UnsavedChangesAnswer> unsavedAnswers;
    QQueue<bool> confirmAnswers;
    QQueue<std::optional<QString>> textAnswers;
    QQueue<std::optional<QString>> itemAnswers;
    QQueue<std::optional<PresetChoice>> presetAnswers;
    QQueue<std::optional<ExportChoice>> exportAnswers;
    QQueue<std::optional<ConflictPolicy>> conflictAnswers;
    QQueue<QString> openAnswers;
    QQueue<QString> saveAnswers;
    QQueue<std::optional<ConnectionProfile>> detectAnswers;
    QQueue<std::optional<CertificateTrust>> trustAnswers;
    // Import selections; with none queued every offered connection is imported (the question
    // is still recorded as "import").
    QQueue<std::optional<QStringList>> importAnswers;
    QList<CertificateTrustOffer> trustOffers;
    QList<QList<ImportCandidate>> importOffers;

    QList<Question> asked;
    QStringList unexpected;
    QList<QStringList> itemsOffered;  // the items of each chooseItem
    QList<QStringList> conflictNames; // the names of each chooseConflictPolicy
    QList<QList<QUuid>> exportProfileIds;

    int count(const QString& kind) const
    {
        int n = 0;
        for (const Question& question : asked)
            n += question.kind == kind ? 1 : 0;
        return n;
    }
    std::optional<Question> last(const QString& kind) const
    {
        for (qsizetype i = asked.size() - 1; i >= 0; --i) {
            if (asked.at(i).kind == kind)
                return asked.at(i);
        }
        return std::nullopt;
    }

    UnsavedChangesAnswer askUnsavedChanges(QWidget*, const QString& name) override
    {
        asked << Question{QStringLiteral("unsaved"), QString(), name};
        if (unsavedAnswers.isEmpty()) {
            unexpected << QStringLiteral("unsaved: ") + name;
            return UnsavedChangesAnswer::Cancel;
        }
        return unsavedAnswers.dequeue();
    }
    bool confirm(QWidget*, const QString& title, const QString& text, const QString&) override
    {
        asked << Question{QStringLiteral("confirm"), title, text};
        if (confirmAnswers.isEmpty()) {
            unexpected << QStringLiteral("confirm: ") + title;
            return false;
        }
        return confirmAnswers.dequeue();
    }
    std::optional<QString> askText(QWidget*, const QString& title, const QString& label,
                                   const QString& initial) override
    {
        asked << Question{QStringLiteral("text"), title, label + u'|' + initial};
        if (textAnswers.isEmpty()) {
            unexpected << QStringLiteral("text: ") + title;
            return std::nullopt;
        }
        return textAnswers.dequeue();
    }
    std::optional<QString> chooseItem(QWidget*, const QString& title, const QString& label,
                                      const QStringList& items, const QString&) override
    {
        asked << Question{QStringLiteral("item"), title, label};
        itemsOffered << items;
        if (itemAnswers.isEmpty()) {
            unexpected << QStringLiteral("item: ") + title;
            return std::nullopt;
        }
        return itemAnswers.dequeue();
    }
    std::optional<PresetChoice> choosePreset(QWidget*, const QString& presetId) override
    {
        asked << Question{QStringLiteral("preset"), QString(), presetId};
        if (presetAnswers.isEmpty()) {
            unexpected << QStringLiteral("preset");
            return std::nullopt;
        }
        return presetAnswers.dequeue();
    }
    std::optional<ExportChoice> chooseExport(QWidget*, const QList<ConnectionProfile>& profiles,
                                             const QList<QUuid>&) override
    {
        asked << Question{QStringLiteral("export"), QString(), QString()};
        QList<QUuid> ids;
        for (const ConnectionProfile& profile : profiles)
            ids << profile.id;
        exportProfileIds << ids;
        if (exportAnswers.isEmpty()) {
            unexpected << QStringLiteral("export");
            return std::nullopt;
        }
        return exportAnswers.dequeue();
    }
    std::optional<ConflictPolicy> chooseConflictPolicy(QWidget*, const QStringList& names) override
    {
        asked << Question{QStringLiteral("conflict"), QString(), names.join(u',')};
        conflictNames << names;
        if (conflictAnswers.isEmpty()) {
            unexpected << QStringLiteral("conflict");
            return std::nullopt;
        }
        return conflictAnswers.dequeue();
    }
    QString openFileName(QWidget*, const QString& title, const QString&) override
    {
        asked << Question{QStringLiteral("open"), title, QString()};
        if (openAnswers.isEmpty()) {
            unexpected << QStringLiteral("open: ") + title;
            return QString();
        }
        return openAnswers.dequeue();
    }
    QString saveFileName(QWidget*, const QString& title, const QString& suggestedPath,
                         const QString&, QString*) override
    {
        asked << Question{QStringLiteral("save"), title, suggestedPath};
        if (saveAnswers.isEmpty()) {
            unexpected << QStringLiteral("save: ") + title;
            return QString();
        }
        return saveAnswers.dequeue();
    }
    std::optional<ConnectionProfile> detectSettings(QWidget*, const QString& query) override
    {
        asked << Question{QStringLiteral("detect"), QString(), query};
        if (detectAnswers.isEmpty()) {
            unexpected << QStringLiteral("detect: ") + query;
            return std::nullopt;
        }
        return detectAnswers.dequeue();
    }
    std::optional<CertificateTrust>
    chooseCertificateTrust(QWidget*, const CertificateTrustOffer& offer) override
    {
        asked << Question{QStringLiteral("trust"), offer.connection, offer.leaf.sha256};
        trustOffers << offer;
        if (trustAnswers.isEmpty()) {
            unexpected << QStringLiteral("trust: ") + offer.connection;
            return std::nullopt;
        }
        return trustAnswers.dequeue();
    }
    std::optional<QStringList> chooseImport(QWidget*, const QString& fileName,
                                            const QList<ImportCandidate>& candidates) override
    {
        asked << Question{QStringLiteral("import"), fileName, QString()};
        importOffers << candidates;
        if (!importAnswers.isEmpty())
            return importAnswers.dequeue();
        QStringList all;
        for (const ImportCandidate& candidate : candidates)
            all << candidate.name;
        return all;
    }
    void inform(QWidget*, Severity severity, const QString& title, const QString& text,
                const QString& details) override
    {
        const QString level = severity == Severity::Error     ? QStringLiteral("error")
                              : severity == Severity::Warning ? QStringLiteral("warning")
                                                              : QStringLiteral("information");
        asked << Question{QStringLiteral("inform"), title,
                          level + u'|' + text + (details.isEmpty() ? QString() : u'|' + details)};
    }
};

// Listens on one port and forwards the n-th incoming connection to the n-th target port, so a
// profile with a fixed port can reach a fresh ScriptedSmtpServer for each test run (each server
// plays its script for one client only). Bytes pass through untouched, TLS included.
class ConnectionForwarder : public QObject
{
public:
    explicit ConnectionForwarder(QObject* parent = nullptr)
        : QObject(parent)
    {
        connect(&m_server, &QTcpServer::newConnection, this, [this] {
            while (QTcpSocket* client = m_server.nextPendingConnection()) {
                if (m_targets.isEmpty()) {
                    client->abort();
                    client->deleteLater();
                    continue;
                }
                forward(client, m_targets.dequeue());
            }
        });
    }
    bool listen() { return m_server.listen(QHostAddress::LocalHost, 0); }
    quint16 port() const { return m_server.serverPort(); }
    void addTarget(quint16 port) { m_targets.enqueue(port); }

private:
    void forward(QTcpSocket* client, quint16 targetPort)
    {
        auto* upstream = new QTcpSocket(client);
        QPointer<QTcpSocket> down(client);
        QPointer<QTcpSocket> up(upstream);
        connect(client, &QTcpSocket::readyRead, upstream, [down, up] {
            if (down && up && up->state() == QAbstractSocket::ConnectedState)
                up->write(down->readAll());
        });
        connect(upstream, &QTcpSocket::connected, client, [down, up] {
            if (down && up)
                up->write(down->readAll());
        });
        connect(upstream, &QTcpSocket::readyRead, client, [down, up] {
            if (down && up)
                down->write(up->readAll());
        });
        connect(upstream, &QTcpSocket::disconnected, client, [down] {
            if (down)
                down->disconnectFromHost();
        });
        connect(client, &QTcpSocket::disconnected, upstream, [up] {
            if (up)
                up->disconnectFromHost();
        });
        connect(client, &QTcpSocket::disconnected, client, &QObject::deleteLater);
        upstream->connectToHost(QHostAddress::LocalHost, targetPort);
    }

    QTcpServer m_server;
    QQueue<quint16> m_targets;
};

// The tests assert English texts; RELAYDECK_UI_TEST_LANGUAGE=de shows the German UI in the
// screenshots instead (those runs are for looking, not for passing).
inline void installTestTranslations()
{
    Translations::install(
        *qApp, QLocale(qEnvironmentVariable("RELAYDECK_UI_TEST_LANGUAGE", QStringLiteral("en"))));
}

// The child of `root` called `name`, of type T (nullptr when missing).
template <typename T> T* child(const QObject* root, const QString& name)
{
    return root->findChild<T*>(name);
}

// Saves a picture of `widget` to $RELAYDECK_UI_SCREENSHOTS/<name>.png when that variable is set
// (for looking at the offscreen UI), otherwise does nothing.
inline void screenshot(QWidget* widget, const QString& name)
{
    const QString dir = qEnvironmentVariable("RELAYDECK_UI_SCREENSHOTS");
    if (dir.isEmpty() || !widget)
        return;
    QDir().mkpath(dir);
    // Let pending layout requests run, as the event loop would before painting.
    QCoreApplication::processEvents();
    widget->grab().save(QDir(dir).filePath(name + QStringLiteral(".png")));
}

} // namespace relaydeck::uitest
