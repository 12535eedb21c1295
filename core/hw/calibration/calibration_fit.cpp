#include "calibration_fit.h"

#include "../../estimate/design_estimate.h"
#include "../power_model.h"
#include "nnls.h"

#include <algorithm>
#include <cmath>
#include <map>

namespace codesign {
namespace {

using Eigen::MatrixXd;
using Eigen::VectorXd;

// Frames per second are fitted as seconds per frame, in which the timing terms are linear.
double fitSpace(Quantity q, double v) {
    return q == Quantity::Fps ? (v > 0 ? 1.0 / v : 0.0) : v;
}
double paramOf(const CalibrationCoefficient& c, const Device& d) {
    const double v = c.get(d);
    return c.reciprocal ? (v > 0 ? 1.0 / v : 0.0) : v;
}
void setParam(const CalibrationCoefficient& c, Device& d, double t) {
    c.set(d, c.reciprocal ? (t > 0 ? 1.0 / t : c.max) : t);
}

std::string formatValue(double v) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.6g", v);
    return buf;
}

struct Row {
    std::size_t design;
    Quantity quantity;
    double y; // measured, in fit space
};

// One model's least-squares problem: its coefficients, its measurements, and the estimator
// evaluated on a device.
class ModelFit {
public:
    ModelFit(CalibrationModel model, const std::vector<CalibrationDesign>& designs)
        : model_(model), designs_(designs) {
        for (const CalibrationCoefficient& c : calibrationCoefficients())
            if (c.model == model)
                coefficients_.push_back(&c);
        for (std::size_t d = 0; d < designs.size(); ++d)
            for (const Observation& o : designs[d].observations)
                if (modelOf(o.quantity) == model)
                    rows_.push_back({d, o.quantity, fitSpace(o.quantity, o.measured)});
        weights_ = relativeWeights();
    }

    bool empty() const { return rows_.empty(); }
    const std::vector<const CalibrationCoefficient*>& coefficients() const { return coefficients_; }

    // Fits from `device`, writing the coefficients into it.
    Status run(Device& device, const Device& nominal, std::vector<CoefficientResult>& out);

private:
    bool linear() const { return model_ != CalibrationModel::Timing; }
    VectorXd relativeWeights() const;
    Result<VectorXd> predict(const Device& device) const;
    VectorXd params(const Device& device) const;
    Device withParams(const Device& device, const VectorXd& theta) const;
    Result<MatrixXd> jacobian(const Device& device, const VectorXd& p0,
                              const VectorXd& steps) const;
    VectorXd firstSteps(const Device& device, const Device& nominal) const;
    VectorXd stepsAfter(const VectorXd& moved, const Device& device, const Device& nominal) const;
    double scaleOf(std::size_t k, const Device& device, const Device& nominal) const;
    Result<double> residual(const Device& device) const;
    std::vector<std::string> identify(const MatrixXd& a, std::vector<bool>& accepted) const;
    VectorXd solve(const MatrixXd& a, const VectorXd& rhs, const VectorXd& theta0,
                   const std::vector<bool>& accepted) const;
    std::vector<std::optional<double>> standardErrors(const MatrixXd& a, const VectorXd& theta,
                                                      const std::vector<bool>& accepted,
                                                      double rss) const;
    Result<VectorXd> lineSearch(const Device& device, const VectorXd& theta,
                                const VectorXd& target) const;
    Result<VectorXd> coarseStart(const Device& device, const Device& nominal) const;
    CoefficientResult result(const CalibrationCoefficient& c, const Device& start, Device& device,
                             bool fitted, std::optional<double> se, const std::string& why) const;

    CalibrationModel model_;
    const std::vector<CalibrationDesign>& designs_;
    std::vector<const CalibrationCoefficient*> coefficients_;
    std::vector<Row> rows_;
    VectorXd weights_;
};

// Each row weighs by its measured value, so that the fit minimises relative errors; a
// zero ("<0.001 W") weighs as 1 % of the largest value of its quantity.
VectorXd ModelFit::relativeWeights() const {
    std::map<Quantity, double> largest;
    for (const Row& r : rows_)
        largest[r.quantity] = std::max(largest[r.quantity], std::abs(r.y));
    VectorXd w(Eigen::Index(rows_.size()));
    for (std::size_t i = 0; i < rows_.size(); ++i) {
        const double floor = std::max(1e-2 * largest[rows_[i].quantity], 1e-12);
        w[Eigen::Index(i)] = 1.0 / std::max(std::abs(rows_[i].y), floor);
    }
    return w;
}

Result<VectorXd> ModelFit::predict(const Device& device) const {
    VectorXd p(Eigen::Index(rows_.size()));
    std::map<std::size_t, QuantityValues> cache;
    for (std::size_t i = 0; i < rows_.size(); ++i) {
        auto it = cache.find(rows_[i].design);
        if (it == cache.end()) {
            Result<QuantityValues> v = predictQuantities(designs_[rows_[i].design], device);
            if (!v.ok())
                return v.error();
            it = cache.emplace(rows_[i].design, *v).first;
        }
        p[Eigen::Index(i)] =
            fitSpace(rows_[i].quantity, it->second[std::size_t(rows_[i].quantity)]);
    }
    return p;
}

VectorXd ModelFit::params(const Device& device) const {
    VectorXd t(Eigen::Index(coefficients_.size()));
    for (std::size_t j = 0; j < coefficients_.size(); ++j)
        t[Eigen::Index(j)] = paramOf(*coefficients_[j], device);
    return t;
}

Device ModelFit::withParams(const Device& device, const VectorXd& theta) const {
    Device d = device;
    for (std::size_t j = 0; j < coefficients_.size(); ++j)
        setParam(*coefficients_[j], d, theta[Eigen::Index(j)]);
    return d;
}

// d(prediction) / d(coefficient) by stepping each coefficient by steps[k] (integer
// coefficients by at least one).
Result<MatrixXd> ModelFit::jacobian(const Device& device, const VectorXd& p0,
                                    const VectorXd& steps) const {
    MatrixXd j = MatrixXd::Zero(p0.size(), Eigen::Index(coefficients_.size()));
    for (std::size_t k = 0; k < coefficients_.size(); ++k) {
        const CalibrationCoefficient& c = *coefficients_[k];
        const double t0 = paramOf(c, device);
        double step = steps[Eigen::Index(k)];
        Device stepped = device;
        double actual = 0;
        for (int tries = 0; tries < 8 && actual == 0; ++tries, step *= 10) {
            stepped = device;
            setParam(c, stepped, t0 + step);
            actual = paramOf(c, stepped) - t0;
        }
        if (actual == 0)
            continue;
        Result<VectorXd> p = predict(stepped);
        if (!p.ok())
            return p.error();
        j.col(Eigen::Index(k)) = (*p - p0) / actual;
    }
    return j;
}

// The steps of the first linearisation: far above the rounding of LUT and FF counts for a
// linear model (where any step is exact); for the piecewise-linear timing, as large as the
// coefficient itself, so that a term that is not yet active where the fit starts (no group
// bound by the DDR at the library's efficiency) shows in the slope. Later steps shrink
// with the fit's moves, down to a tangent (stepsAfter).
VectorXd ModelFit::firstSteps(const Device& device, const Device& nominal) const {
    VectorXd steps(Eigen::Index(coefficients_.size()));
    for (std::size_t k = 0; k < coefficients_.size(); ++k)
        steps[Eigen::Index(k)] = (linear() ? 1e3 : 1.0) * scaleOf(k, device, nominal);
    return steps;
}

VectorXd ModelFit::stepsAfter(const VectorXd& moved, const Device& device,
                              const Device& nominal) const {
    VectorXd steps(Eigen::Index(coefficients_.size()));
    for (std::size_t k = 0; k < coefficients_.size(); ++k) {
        const double scale = scaleOf(k, device, nominal);
        steps[Eigen::Index(k)] = linear()
                                     ? 1e3 * scale
                                     : std::max({1e-3 * scale, std::abs(moved[Eigen::Index(k)]),
                                                 coefficients_[k]->minStep});
    }
    return steps;
}

double ModelFit::scaleOf(std::size_t k, const Device& device, const Device& nominal) const {
    const CalibrationCoefficient& c = *coefficients_[k];
    const double scale = std::max(std::abs(paramOf(c, device)), std::abs(paramOf(c, nominal)));
    return scale > 0 ? scale : 1.0; // a term at zero (the intercept): steps of one unit
}

Result<double> ModelFit::residual(const Device& device) const {
    Result<VectorXd> p = predict(device);
    if (!p.ok())
        return p.error();
    VectorXd y(Eigen::Index(rows_.size()));
    for (std::size_t i = 0; i < rows_.size(); ++i)
        y[Eigen::Index(i)] = rows_[i].y;
    return (weights_.asDiagonal() * (y - *p)).squaredNorm();
}

// Which coefficients the measurements identify, in table order: one whose column is zero,
// or a combination of the columns accepted before it, is not; says why, by name.
std::vector<std::string> ModelFit::identify(const MatrixXd& a, std::vector<bool>& accepted) const {
    std::vector<std::string> notes(coefficients_.size());
    accepted.assign(coefficients_.size(), false);
    std::vector<Eigen::Index> kept;
    const double largest = a.colwise().norm().maxCoeff();
    for (std::size_t k = 0; k < coefficients_.size(); ++k) {
        const CalibrationCoefficient& c = *coefficients_[k];
        const VectorXd col = a.col(Eigen::Index(k));
        const double norm = col.norm();
        const std::string head = std::string(c.key) + " cannot be identified from these reports: ";
        if (!c.kept.empty()) {
            notes[k] = std::string(c.key) + " is not fitted: " + std::string(c.kept);
            continue;
        }
        if (!(norm > 1e-12 * largest)) {
            notes[k] =
                head + "no measurement depends on its feature (" + std::string(c.feature) + ")";
            continue;
        }
        if (kept.size() >= rows_.size()) {
            notes[k] = head + "its " + std::string(modelName(model_)) + " measurements (" +
                       std::to_string(rows_.size()) + ") are used up by the coefficients before it";
            continue;
        }
        if (!kept.empty()) {
            MatrixXd b(a.rows(), Eigen::Index(kept.size()));
            for (std::size_t i = 0; i < kept.size(); ++i)
                b.col(Eigen::Index(i)) = a.col(kept[i]);
            const VectorXd coef = b.colPivHouseholderQr().solve(col);
            if ((b * coef - col).norm() < 1e-6 * norm) {
                std::string with;
                for (std::size_t i = 0; i < kept.size(); ++i)
                    if (std::abs(coef[Eigen::Index(i)]) * b.col(Eigen::Index(i)).norm() >
                        1e-3 * norm)
                        with += (with.empty() ? "" : ", ") +
                                std::string(coefficients_[std::size_t(kept[i])]->key);
                notes[k] = head + "in every design its feature (" + std::string(c.feature) +
                           ") is a fixed combination of those of " + with;
                continue;
            }
        }
        accepted[k] = true;
        kept.push_back(Eigen::Index(k));
    }
    return notes;
}

// NNLS for the accepted coefficients, the others held at theta0; columns scaled to unit
// norm so that coefficients of very different sizes are treated alike.
VectorXd ModelFit::solve(const MatrixXd& a, const VectorXd& rhs, const VectorXd& theta0,
                         const std::vector<bool>& accepted) const {
    VectorXd b = rhs;
    std::vector<Eigen::Index> free;
    for (std::size_t k = 0; k < accepted.size(); ++k) {
        if (accepted[k])
            free.push_back(Eigen::Index(k));
        else
            b -= a.col(Eigen::Index(k)) * theta0[Eigen::Index(k)];
    }
    MatrixXd sub(a.rows(), Eigen::Index(free.size()));
    VectorXd norms(Eigen::Index(free.size()));
    for (std::size_t i = 0; i < free.size(); ++i) {
        norms[Eigen::Index(i)] = a.col(free[i]).norm();
        sub.col(Eigen::Index(i)) = a.col(free[i]) / norms[Eigen::Index(i)];
    }
    const NnlsResult r = solveNnls(sub, b);
    VectorXd theta = theta0;
    for (std::size_t i = 0; i < free.size(); ++i)
        theta[free[i]] = r.x[Eigen::Index(i)] / norms[Eigen::Index(i)];
    return theta;
}

std::vector<std::optional<double>> ModelFit::standardErrors(const MatrixXd& a,
                                                            const VectorXd& theta,
                                                            const std::vector<bool>& accepted,
                                                            double rss) const {
    std::vector<std::optional<double>> se(coefficients_.size());
    std::vector<Eigen::Index> free;
    for (std::size_t k = 0; k < accepted.size(); ++k)
        if (accepted[k] && theta[Eigen::Index(k)] > 0)
            free.push_back(Eigen::Index(k));
    const Eigen::Index dof = a.rows() - Eigen::Index(free.size());
    if (free.empty() || dof <= 0)
        return se;
    MatrixXd sub(a.rows(), Eigen::Index(free.size()));
    for (std::size_t i = 0; i < free.size(); ++i)
        sub.col(Eigen::Index(i)) = a.col(free[i]);
    const MatrixXd cov = (sub.transpose() * sub).inverse() * (rss / double(dof));
    for (std::size_t i = 0; i < free.size(); ++i) {
        const CalibrationCoefficient& c = *coefficients_[std::size_t(free[i])];
        const double t = theta[free[i]];
        const double s = std::sqrt(std::max(0.0, cov(Eigen::Index(i), Eigen::Index(i))));
        se[std::size_t(free[i])] = c.reciprocal ? s / (t * t) : s; // in the key's unit
    }
    return se;
}

Status ModelFit::run(Device& device, const Device& nominal, std::vector<CoefficientResult>& out) {
    VectorXd y(Eigen::Index(rows_.size()));
    for (std::size_t i = 0; i < rows_.size(); ++i)
        y[Eigen::Index(i)] = rows_[i].y;
    const Device start = device;
    VectorXd theta = params(device);
    if (!linear()) {
        Result<VectorXd> coarse = coarseStart(device, nominal);
        if (!coarse.ok())
            return coarse.error();
        theta = *coarse;
        device = withParams(device, theta);
    }
    std::vector<bool> accepted;
    std::vector<std::string> notes;
    MatrixXd a;
    const int maxSteps = linear() ? 2 : 40;
    bool settled = false;
    VectorXd steps = firstSteps(device, nominal);
    for (int step = 0;; ++step) {
        const bool tangent =
            linear() || steps == stepsAfter(VectorXd::Zero(steps.size()), device, nominal);
        Result<VectorXd> p0 = predict(device);
        if (!p0.ok())
            return p0.error();
        Result<MatrixXd> j = jacobian(device, *p0, steps);
        if (!j.ok())
            return j.error();
        a = weights_.asDiagonal() * *j;
        notes = identify(a, accepted);
        if (settled || step == maxSteps)
            break; // this pass only linearised at the solution, for the standard errors
        const VectorXd rhs = weights_.asDiagonal() * (y - *p0) + a * theta;
        Result<VectorXd> next = lineSearch(device, theta, solve(a, rhs, theta, accepted));
        if (!next.ok())
            return next.error();
        const VectorXd moved = *next - theta;
        theta = *next;
        device = withParams(device, theta);
        steps = stepsAfter(moved, device, nominal);
        // Settled when a step from the tangent no longer moves the coefficients (a secant's
        // step that did not help is retried with the tangent).
        settled = tangent &&
                  moved.cwiseAbs().maxCoeff() <= 1e-10 * std::max(1.0, theta.cwiseAbs().maxCoeff());
    }
    // What the measurements do not identify keeps its value (the coarse scan may have
    // moved it where it had no effect).
    for (std::size_t k = 0; k < coefficients_.size(); ++k)
        if (!accepted[k]) {
            theta[Eigen::Index(k)] = paramOf(*coefficients_[k], start);
            setParam(*coefficients_[k], device, theta[Eigen::Index(k)]);
        }
    Result<double> rss = residual(device);
    if (!rss.ok())
        return rss.error();
    const std::vector<std::optional<double>> se = standardErrors(a, theta, accepted, *rss);
    for (std::size_t k = 0; k < coefficients_.size(); ++k)
        out.push_back(result(*coefficients_[k], start, device, accepted[k], se[k], notes[k]));
    return okStatus();
}

// Halves the step towards `target` while it makes the error grow (the timing model's
// kinks); no step that helps means theta is a minimum.
Result<VectorXd> ModelFit::lineSearch(const Device& device, const VectorXd& theta,
                                      const VectorXd& target) const {
    Result<double> r0 = residual(device);
    if (!r0.ok())
        return r0.error();
    for (double t = 1; t > 1.0 / 4096; t /= 2) {
        const VectorXd next = theta + t * (target - theta);
        Result<double> r = residual(withParams(device, next));
        if (!r.ok())
            return r.error();
        if (*r <= *r0 * (1 + 1e-12))
            return next;
    }
    return theta;
}

// Where a piecewise-linear model's fit starts: each coefficient in turn scaled by powers of
// two from 1/8 to 8, keeping the best (two sweeps). A term that no design's time depends on
// at the library's value (no group bound by the DDR at its efficiency) has no slope there;
// the scan finds the region where it acts, and the least squares then refine it.
Result<VectorXd> ModelFit::coarseStart(const Device& device, const Device& nominal) const {
    VectorXd theta = params(device);
    Result<double> best = residual(device);
    if (!best.ok())
        return best.error();
    for (int sweep = 0; sweep < 2; ++sweep)
        for (std::size_t k = 0; k < coefficients_.size(); ++k) {
            if (!coefficients_[k]->kept.empty())
                continue;
            const double base = theta[Eigen::Index(k)] > 0 ? theta[Eigen::Index(k)]
                                                           : paramOf(*coefficients_[k], nominal);
            for (double m = 0.125; m <= 8; m *= 2) {
                VectorXd trial = theta;
                trial[Eigen::Index(k)] = base * m;
                Result<double> r = residual(withParams(device, trial));
                if (!r.ok())
                    return r.error();
                if (*r < *best * (1 - 1e-9)) {
                    *best = *r;
                    theta = trial;
                }
            }
        }
    return theta;
}

// One coefficient's outcome; a fitted value outside the device file's range is clamped
// (the overlay must load).
CoefficientResult ModelFit::result(const CalibrationCoefficient& c, const Device& start,
                                   Device& device, bool fitted, std::optional<double> se,
                                   const std::string& why) const {
    CoefficientResult r;
    r.coefficient = &c;
    r.before = c.get(start);
    r.after = c.get(device);
    r.fitted = fitted;
    r.stdError = se;
    if (!fitted) {
        r.note = why + "; kept at " + formatValue(r.after);
    } else if (r.after < c.min || r.after > c.max) {
        const double bound = std::clamp(r.after, c.min, c.max);
        r.note = "the fit gave " + formatValue(r.after) +
                 ", outside the device file's range; kept at " + formatValue(bound);
        c.set(device, bound);
        r.after = c.get(device);
    } else if (r.after == 0) {
        r.note = "at zero: the measurements would make it negative";
    }
    return r;
}

} // namespace

Result<QuantityValues> predictQuantities(const CalibrationDesign& design, const Device& device) {
    Result<Estimate> e =
        estimateDesign(design.graph, device, design.spec, {SizingEffort::Full, false, 0});
    if (!e.ok()) {
        e.error().file = design.projectFile;
        return e.error();
    }
    QuantityValues v{};
    v[std::size_t(Quantity::Lut)] = double(e->used.lut);
    v[std::size_t(Quantity::Ff)] = double(e->used.ff);
    v[std::size_t(Quantity::Dsp)] = double(e->used.dsp);
    v[std::size_t(Quantity::Bram18)] = double(e->used.bram18);
    v[std::size_t(Quantity::Fps)] = e->fps;
    // Power on what was measured, so that the power coefficients do not absorb the errors
    // of the LUT or timing models.
    const Resources used = design.measuredResources.value_or(e->used);
    const double fps = design.measuredFps.value_or(e->fps);
    const PowerBreakdown p =
        boardPower(device.power, used, design.clockMhz, double(e->ddrBytesPerImage) * fps);
    v[std::size_t(Quantity::BoardPower)] = p.totalW();
    v[std::size_t(Quantity::PlStatic)] = p.plStaticW;
    v[std::size_t(Quantity::DspPower)] = p.dspW;
    v[std::size_t(Quantity::BramPower)] = p.bramW;
    v[std::size_t(Quantity::LogicPower)] = p.logicW;
    // The LUT and FF terms apart: the same model with only the LUTs, or only the FFs, used.
    v[std::size_t(Quantity::LutPower)] =
        boardPower(device.power, {0, 0, used.lut, 0}, design.clockMhz, 0).logicW;
    v[std::size_t(Quantity::FfPower)] =
        boardPower(device.power, {0, 0, 0, used.ff}, design.clockMhz, 0).logicW;
    return v;
}

namespace {

Status collectFigures(const std::vector<CalibrationDesign>& designs, CalibrationResult& r) {
    for (const CalibrationDesign& d : designs) {
        Result<QuantityValues> before = predictQuantities(d, r.before);
        Result<QuantityValues> after = predictQuantities(d, r.after);
        if (!before.ok())
            return before.error();
        if (!after.ok())
            return after.error();
        DesignFigures f;
        f.name = d.name;
        for (const Observation& o : d.observations) {
            const std::size_t q = std::size_t(o.quantity);
            f.figures.push_back({o.quantity, o.measured, (*before)[q], (*after)[q], o.source});
        }
        r.designs.push_back(std::move(f));
    }
    return okStatus();
}

void summariseErrors(CalibrationResult& r) {
    for (int qi = 0; qi < kQuantityCount; ++qi) {
        const Quantity q = Quantity(qi);
        QuantityError e;
        e.quantity = q;
        for (const DesignFigures& d : r.designs)
            for (const DesignFigures::Figure& f : d.figures) {
                if (f.quantity != q || !(f.measured > 0))
                    continue;
                const double before = 100 * std::abs(f.before - f.measured) / f.measured;
                const double after = 100 * std::abs(f.after - f.measured) / f.measured;
                ++e.count;
                e.meanBefore += before;
                e.meanAfter += after;
                e.maxBefore = std::max(e.maxBefore, before);
                e.maxAfter = std::max(e.maxAfter, after);
            }
        if (e.count == 0)
            continue;
        e.meanBefore /= e.count;
        e.meanAfter /= e.count;
        for (const CoefficientResult& c : r.coefficients)
            e.fitted = e.fitted || (c.fitted && modelOf(q) == c.coefficient->model);
        r.errors.push_back(e);
    }
}

} // namespace

Result<CalibrationResult> calibrate(const std::vector<CalibrationDesign>& designs,
                                    const Device& start) {
    CalibrationResult r;
    r.before = start;
    Device device = start;
    for (CalibrationModel model : {CalibrationModel::Lut, CalibrationModel::Ff,
                                   CalibrationModel::Timing, CalibrationModel::Power}) {
        ModelFit fit(model, designs);
        if (fit.empty()) {
            for (const CalibrationCoefficient* c : fit.coefficients())
                r.coefficients.push_back({c, c->get(device), c->get(device), false, std::nullopt,
                                          std::string(c->key) + " kept: no " +
                                              std::string(modelName(model)) +
                                              " measurements among the reports"});
            continue;
        }
        if (Status s = fit.run(device, start, r.coefficients); !s.ok())
            return s.error();
    }
    r.after = device;
    if (Status s = collectFigures(designs, r); !s.ok())
        return s.error();
    summariseErrors(r);
    return r;
}

} // namespace codesign
