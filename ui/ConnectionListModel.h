#pragma once

#include "LastTestResult.h"

#include "profile/ConnectionProfile.h"

#include <QAbstractListModel>
#include <QHash>
#include <QList>
#include <QUuid>

#include <optional>

namespace relaydeck::ui {

// The stored connections, one row each, with the result of each one's last test. Sorted by the
// MainWindow's proxy model; this model keeps the store's order.
class ConnectionListModel : public QAbstractListModel
{
    Q_OBJECT

public:
    enum Role
    {
        IdRole = Qt::UserRole + 1, // QUuid
        SubtitleRole,              // "smtp.example.com:587 · STARTTLS"
        StatusRole,                // int(LastTestResult::Status)
        StatusTextRole,            // "Passed 14:02", "Failed 14:02: ..."
        SearchTextRole             // what the filter matches: name, host, description, user
    };

    using QAbstractListModel::QAbstractListModel;

    void setProfiles(const QList<ConnectionProfile>& profiles);
    const QList<ConnectionProfile>& profiles() const { return m_profiles; }
    int rowOf(const QUuid& id) const;
    std::optional<ConnectionProfile> profileAt(int row) const;

    void setResult(const QUuid& id, const LastTestResult& result);
    LastTestResult result(const QUuid& id) const { return m_results.value(id); }
    const QHash<QUuid, LastTestResult>& results() const { return m_results; }
    // How many of the listed profiles have a last result with `status`.
    int countResults(LastTestResult::Status status) const;

    int rowCount(const QModelIndex& parent = QModelIndex()) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;

    static QString securityName(Security security);
    static QString statusText(const LastTestResult& result);

private:
    QList<ConnectionProfile> m_profiles;
    QHash<QUuid, LastTestResult> m_results;
};

} // namespace relaydeck::ui
