# Writes the gstat reference values the kriging tests compare with
# (tests/data/meuse/): the Meuse river topsoil zinc samples that R's sp package
# ships, the experimental variogram of log(zinc) and its weighted least-squares
# fits, and ordinary-kriging predictions and variances at the cell centres of a
# 100 m grid, global and with neighbour limits.
#
#   Rscript tools/gstat/kriging_reference.R tests/data/meuse
#
# Needs Debian's r-cran-gstat and r-cran-sp.
suppressMessages({
  library(sp)
  library(gstat)
})
out <- commandArgs(trailingOnly = TRUE)[1]
data(meuse)
write.csv(meuse[, c("x", "y", "zinc")], file.path(out, "meuse.csv"), row.names = FALSE)
coordinates(meuse) <- ~x + y

fmt <- function(d) format(d, digits = 17)

# Experimental variogram with gstat's defaults (cutoff: a third of the bounding
# box diagonal; 15 classes), then the fits (fit.method 7: weights N_j / h_j^2).
v <- variogram(log(zinc) ~ 1, meuse)
write.csv(data.frame(np = v$np, dist = fmt(v$dist), gamma = fmt(v$gamma)),
          file.path(out, "variogram.csv"), row.names = FALSE, quote = FALSE)
fits <- NULL
for (m in c("Sph", "Exp", "Gau")) {
  f <- fit.variogram(v, vgm(0.6, m, 900, 0.05))
  fits <- rbind(fits, data.frame(model = m, nugget = fmt(f$psill[1]), partial_sill = fmt(f$psill[2]),
                                 range = fmt(f$range[2]), sse = fmt(attr(f, "SSErr"))))
}
write.csv(fits, file.path(out, "variogram_fits.csv"), row.names = FALSE, quote = FALSE)

# Cell centres of a grid with its top-left corner at (178500, 333700), 100 m
# cells, 30 columns and 42 rows.
centres <- expand.grid(col = 0:29, row = 0:41)
centres$x <- 178550 + 100 * centres$col
centres$y <- 333650 - 100 * centres$row
grid <- centres
coordinates(grid) <- ~x + y

sph <- vgm(0.59, "Sph", 897, 0.05)
exp_model <- vgm(0.7, "Exp", 400, 0.04)
quiet <- function(e) suppressWarnings(capture.output(r <- e))
global <- krige(log(zinc) ~ 1, meuse, grid, model = sph, debug.level = 0)
local16 <- krige(log(zinc) ~ 1, meuse, grid, model = sph, nmax = 16, debug.level = 0)
local_exp <- krige(log(zinc) ~ 1, meuse, grid, model = exp_model, nmax = 24, maxdist = 1200,
                   nmin = 4, debug.level = 0)
write.csv(data.frame(x = centres$x, y = centres$y,
                     global_pred = fmt(global$var1.pred), global_var = fmt(global$var1.var),
                     nmax16_pred = fmt(local16$var1.pred), nmax16_var = fmt(local16$var1.var),
                     exp_pred = fmt(local_exp$var1.pred), exp_var = fmt(local_exp$var1.var)),
          file.path(out, "kriging.csv"), row.names = FALSE, quote = FALSE)
