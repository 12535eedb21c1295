#pragma once

#include "core/model/op.h"
#include "edit_target.h"

#include <QWidget>

class QTableView;

namespace codesign {

class NetworkModel;
class ProjectDocument;
class TransientMessage;

// The network list: bundle instances and single layers stacked top to bottom with their
// channels, repeats, pooling and output shapes. Drop bundles or palette layers in, drag rows
// to reorder, Delete removes.
class NetworkView : public QWidget {
    Q_OBJECT
public:
    explicit NetworkView(ProjectDocument* document, QWidget* parent = nullptr);

    NetworkModel* networkModel() const { return model_; }
    QTableView* table() const { return table_; }
    void addInstance(const QString& bundle);
    void addLayer(Op op);
    void removeSelected();

Q_SIGNALS:
    void targetSelected(const EditTarget& target);
    // The "Add instance" button asks which bundle: the editor's current one.
    void instanceRequested();

private:
    int selectedRow() const;
    void moveSelected(int delta);

    ProjectDocument* document_;
    NetworkModel* model_;
    QTableView* table_;
    TransientMessage* message_;
    int rememberedRow_ = -1;
};

} // namespace codesign
