// The registration list of model kinds: a new kind is its folder and one line here.

#include "kinds/boosting/boosting_kind.hpp"
#include "kinds/fuzzy/fuzzy_kind.hpp"
#include "kinds/logistic/logistic_kind.hpp"
#include "kinds/wofe/wofe_kind.hpp"
#include "prospect/core/error.hpp"
#include "prospect/kinds/model_kind.hpp"

namespace prospect {

const ModelKind& model_kind(ModelType type) {
  static const FuzzyKind fuzzy;
  static const WofeKind wofe;
  static const LogisticKind logistic;
  static const GradientBoostingKind gradient_boosting;
  static const RandomForestKind random_forest;
  static const ModelKind* const kinds[] = {&fuzzy, &wofe, &logistic, &gradient_boosting,
                                           &random_forest};
  for (const ModelKind* kind : kinds)
    if (kind->type() == type) return *kind;
  throw Error(ErrorKind::run_failed,
              std::string("no model kind is registered for '") + model_type_name(type) + "'");
}

}  // namespace prospect
