#include "ConnectionListModel.h"

#include "Icons.h"

#include <QLocale>
#include <algorithm>

using namespace Qt::StringLiterals;

namespace relaydeck::ui {

void ConnectionListModel::setProfiles(const QList<ConnectionProfile>& profiles)
{
    beginResetModel();
    m_profiles = profiles;
    // Results of profiles that no longer exist are dropped.
    QHash<QUuid, LastTestResult> kept;
    for (const ConnectionProfile& profile : profiles) {
        if (m_results.contains(profile.id))
            kept.insert(profile.id, m_results.value(profile.id));
    }
    m_results = kept;
    endResetModel();
}

int ConnectionListModel::rowOf(const QUuid& id) const
{
    for (int row = 0; row < m_profiles.size(); ++row) {
        if (m_profiles.at(row).id == id)
            return row;
    }
    return -1;
}

std::optional<ConnectionProfile> ConnectionListModel::profileAt(int row) const
{
    if (row < 0 || row >= m_profiles.size())
        return std::nullopt;
    return m_profiles.at(row);
}

int ConnectionListModel::countResults(LastTestResult::Status status) const
{
    return int(std::count_if(m_profiles.cbegin(), m_profiles.cend(),
                             [this, status](const ConnectionProfile& profile) {
                                 return result(profile.id).status == status;
                             }));
}

void ConnectionListModel::setResult(const QUuid& id, const LastTestResult& result)
{
    const int row = rowOf(id);
    if (row < 0)
        return;
    m_results.insert(id, result);
    const QModelIndex changed = index(row);
    emit dataChanged(changed, changed);
}

int ConnectionListModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : int(m_profiles.size());
}

QString ConnectionListModel::securityName(Security security)
{
    switch (security) {
    case Security::None:
        return tr("no encryption");
    case Security::StartTls:
        return tr("STARTTLS");
    case Security::ImplicitTls:
        return tr("implicit TLS");
    case Security::Auto:
        return tr("automatic security");
    }
    return QString();
}

QString ConnectionListModel::statusText(const LastTestResult& result)
{
    const QString when =
        result.finishedAt.isValid()
            ? QLocale().toString(result.finishedAt.toLocalTime(),
                                 result.finishedAt.daysTo(QDateTime::currentDateTime()) == 0
                                     ? QLocale().timeFormat(QLocale::ShortFormat)
                                     : QLocale().dateTimeFormat(QLocale::ShortFormat))
            : QString();
    switch (result.status) {
    case LastTestResult::Status::Untested:
        return tr("Not tested yet");
    case LastTestResult::Status::Running:
        return tr("Testing…");
    case LastTestResult::Status::Passed:
        return tr("Passed %1").arg(when);
    case LastTestResult::Status::Failed:
        return tr("Failed %1").arg(when);
    case LastTestResult::Status::Skipped:
        return tr("Not tested %1").arg(when);
    }
    return QString();
}

QVariant ConnectionListModel::data(const QModelIndex& index, int role) const
{
    if (!index.isValid() || index.row() >= m_profiles.size())
        return {};
    const ConnectionProfile& profile = m_profiles.at(index.row());
    const LastTestResult result = m_results.value(profile.id);
    switch (role) {
    case Qt::DisplayRole:
    case Qt::EditRole:
        return profile.name;
    case Qt::DecorationRole:
        switch (result.status) {
        case LastTestResult::Status::Untested:
            return Icons::get(u"status-untested"_s);
        case LastTestResult::Status::Running:
            return Icons::get(u"status-running"_s);
        case LastTestResult::Status::Passed:
            return Icons::get(u"status-ok"_s);
        case LastTestResult::Status::Failed:
            return Icons::get(u"status-failed"_s);
        case LastTestResult::Status::Skipped:
            return Icons::get(u"status-skipped"_s);
        }
        return {};
    case Qt::ToolTipRole: {
        QString tip = u"<b>%1</b><br>%2"_s.arg(
            profile.name.toHtmlEscaped(), data(index, SubtitleRole).toString().toHtmlEscaped());
        if (!profile.description.isEmpty())
            tip += u"<br><i>%1</i>"_s.arg(profile.description.toHtmlEscaped());
        tip += u"<br>"_s + statusText(result).toHtmlEscaped();
        if (!result.summary.isEmpty())
            tip += u"<br>"_s + result.summary.toHtmlEscaped();
        return tip;
    }
    case Qt::AccessibleDescriptionRole:
        return statusText(result);
    case IdRole:
        return profile.id;
    case SubtitleRole:
        return u"%1:%2 · %3"_s.arg(profile.host.isEmpty() ? tr("(no server)") : profile.host)
            .arg(profile.effectivePort())
            .arg(securityName(profile.security));
    case StatusRole:
        return int(result.status);
    case StatusTextRole:
        return statusText(result);
    case SearchTextRole:
        return QStringList{profile.name, profile.host, profile.description, profile.auth.username,
                           profile.sender}
            .join(u' ');
    default:
        return {};
    }
}

} // namespace relaydeck::ui
