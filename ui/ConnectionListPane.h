#pragma once

#include <QUuid>
#include <QWidget>

class QListView;
class QSortFilterProxyModel;

namespace relaydeck {
struct ConnectionProfile;
}

namespace relaydeck::ui {

class ConnectionListModel;

// The window's left pane: the filter field and the connection list (sorted by name, filtered by
// name, server or user). Changes made through this class never emit currentRequested; only the
// user's clicks and keys do.
class ConnectionListPane : public QWidget
{
    Q_OBJECT

public:
    explicit ConnectionListPane(QWidget* parent = nullptr);

    ConnectionListModel* model() const { return m_model; }
    QListView* view() const { return m_list; }

    void setProfiles(const QList<ConnectionProfile>& profiles);
    // Makes `id` current; an id not listed clears the selection.
    void setCurrent(const QUuid& id);
    // No current row at all (a new connection is in the editor).
    void clearCurrent();
    // setCurrent(id) once the current signal has returned (the list follows a refused change).
    void setCurrentLater(const QUuid& id);

    // Rows as the user sees them (sorted and filtered).
    int visibleRowOf(const QUuid& id) const;
    int visibleCount() const;
    // The id at `row`, or at the last row when there are fewer (null: the list shows none).
    QUuid idAtVisibleRow(int row) const;

signals:
    // The user chose another row.
    void currentRequested(const QUuid& id);

private:
    ConnectionListModel* m_model;
    QSortFilterProxyModel* m_filter;
    QListView* m_list;
    bool m_ignoreSelection = false;
};

} // namespace relaydeck::ui
