# The reference for tests/unit/models/logistic_test.cpp: R's glm (binomial,
# logit link, IRLS) on 3,000 synthetic cells, unweighted and with the deposit
# cells weighted 5 (prospect's training.deposit_weight). Predictor values are
# multiples of 1/1024, so the float32 values prospect reads are the same numbers.
#
#   Rscript tools/glm/logistic_reference.R tests/data/glm
args <- commandArgs(trailingOnly = TRUE)
out <- if (length(args) > 0) args[1] else "tests/data/glm"
set.seed(20261202)
n <- 3000
q <- function(v) round(v * 1024) / 1024
cells <- data.frame(x1 = q(rnorm(n)), x2 = q(runif(n, 0, 10)), x3 = as.numeric(runif(n) < 0.3))
eta <- -4 + 0.8 * cells$x1 + 0.2 * cells$x2 + 1.0 * cells$x3
cells$y <- as.numeric(runif(n) < plogis(eta))
write.csv(cells, file.path(out, "cells.csv"), row.names = FALSE)

fits <- list(unweighted = glm(y ~ x1 + x2 + x3, family = binomial, data = cells,
                              control = glm.control(epsilon = 1e-14, maxit = 100)),
             deposits_weighted_5 = glm(y ~ x1 + x2 + x3, family = binomial, data = cells,
                                       weights = ifelse(cells$y == 1, 5, 1),
                                       control = glm.control(epsilon = 1e-14, maxit = 100)))
rows <- do.call(rbind, lapply(names(fits), function(name) {
  s <- summary(fits[[name]])$coefficients
  data.frame(fit = name, term = rownames(s), coefficient = sprintf("%.17g", s[, 1]),
             std_error = sprintf("%.17g", s[, 2]),
             log_likelihood = sprintf("%.17g", as.numeric(logLik(fits[[name]]))))
}))
write.csv(rows, file.path(out, "glm_reference.csv"), row.names = FALSE, quote = FALSE)
