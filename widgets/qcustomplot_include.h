#pragma once

// QCustomPlot's header uses Qt's keyword macros (signals, slots, emit, foreach), which the
// project switches off with QT_NO_KEYWORDS because they clash with libtorch. They are
// defined for this one header and removed again. Include QCustomPlot only through here.
#define signals Q_SIGNALS
#define slots Q_SLOTS
#define emit Q_EMIT
#define foreach Q_FOREACH
#include <qcustomplot.h>
#undef signals
#undef slots
#undef emit
#undef foreach
