# Golden values for mobiseg's REML random-intercept fit (src/measures/reml.ts, src/measures/exposure.ts).
#
# Regenerate (from the repository root; needs R >= 4 with lme4, base R otherwise):
#   Rscript test/golden/lme4/make-golden.R
# Writes, into test/golden/lme4/:
#   <set>.persons.csv        person, ses                  (raw SES of every person of the area; some have no
#                                                           observations and must be left out of the fit)
#   <set>.obs.csv.gz         person, partner_ses           (raw observations: one row per encounter endpoint)
#   big.stats.csv.gz         person, ses, n, sum, sum_sq   (100k persons: per-person sufficient statistics of
#                                                           integer-valued SES, so the sums are exact)
#   golden.csv               set, quantity, value          (lme4 results, 17 significant digits)
#
# Standardisation (SPEC section 3, done here exactly as the TypeScript does it): the persons in the fit are
# those with at least one observation; m = mean and s = sd (n - 1) of their own SES;
# x = (ses - m) / s and y = (partner_ses - m) / s. The model is lmer(y ~ x + (1 | person)) by REML with
# the optimiser tightened to lmerControl(optimizer = "bobyqa", optCtrl = list(rhoend = 1e-12))
# (lme4's default stops up to ~5e-6 short of the REML optimum).
# ES = sqrt(a^2 / (a^2 + tau^2)), and 1 when tau^2 = 0 (boundary).
# golden.csv also holds lme4's REML deviance function evaluated at fixed theta (devFunOnly = TRUE),
# to check the profiled criterion itself independently of any optimiser.

suppressPackageStartupMessages(library(lme4))
args <- commandArgs(trailingOnly = FALSE)
script <- sub("^--file=", "", args[grep("^--file=", args)])
out_dir <- if (length(script) == 1) dirname(normalizePath(script)) else "test/golden/lme4"

fmt <- function(v) sprintf("%.17g", v)
golden <- data.frame(set = character(), quantity = character(), value = character(), stringsAsFactors = FALSE)
add <- function(set, quantity, value) {
  golden[nrow(golden) + 1, ] <<- list(set, quantity, if (is.character(value)) value else fmt(value))
}
add("_meta", "R", R.version.string)
add("_meta", "lme4", as.character(packageVersion("lme4")))

ctrl <- lmerControl(optimizer = "bobyqa", optCtrl = list(rhoend = 1e-12))
devfun_thetas <- c(0, 0.1, 0.5, 1, 2.5)

# Fit one area given persons (person, ses) and observations (person, partner_ses) in raw units.
fit_set <- function(name, persons, obs) {
  fitted_ids <- sort(unique(obs$person))
  ses_fit <- persons$ses[match(fitted_ids, persons$person)]
  m <- mean(ses_fit)
  s <- sd(ses_fit)
  d <- data.frame(person = factor(obs$person, levels = fitted_ids),
                  x = (persons$ses[match(obs$person, persons$person)] - m) / s,
                  y = (obs$partner_ses - m) / s)
  t0 <- proc.time()[["elapsed"]]
  fit <- lmer(y ~ x + (1 | person), data = d, REML = TRUE, control = ctrl)
  elapsed <- proc.time()[["elapsed"]] - t0
  dev <- lmer(y ~ x + (1 | person), data = d, REML = TRUE, control = ctrl, devFunOnly = TRUE)
  fe <- fixef(fit)
  vc <- as.data.frame(VarCorr(fit))
  tau2 <- vc$vcov[vc$grp == "person"]
  sigma2 <- sigma(fit)^2
  a <- unname(fe[["x"]])
  es <- if (tau2 == 0) 1 else sqrt(a^2 / (a^2 + tau2))
  ybar <- tapply(d$y, d$person, mean)
  xi <- (ses_fit - m) / s
  add(name, "n_people", length(fitted_ids))
  add(name, "n_obs", nrow(d))
  add(name, "a", a)
  add(name, "b", unname(fe[["(Intercept)"]]))
  add(name, "tau2", tau2)
  add(name, "sigma2", sigma2)
  add(name, "theta", unname(getME(fit, "theta")))
  add(name, "es", es)
  add(name, "reml_criterion", REMLcrit(fit))
  add(name, "boundary", if (isSingular(fit)) "true" else "false")
  add(name, "es_naive", cor(xi, as.numeric(ybar)))
  for (th in devfun_thetas) add(name, sprintf("devfun_theta_%s", th), dev(th))
  cat(sprintf("%-10s persons %6d obs %8d  a %.6f tau2 %.6g sigma2 %.6f es %.6f theta %.6g  (%.1f s)\n",
              name, length(fitted_ids), nrow(d), a, tau2, sigma2, es, getME(fit, "theta"), elapsed))
  invisible(fit)
}

write_raw <- function(name, persons, obs) {
  write.csv(data.frame(person = persons$person, ses = fmt(persons$ses)),
            file.path(out_dir, paste0(name, ".persons.csv")), row.names = FALSE, quote = FALSE)
  con <- gzfile(file.path(out_dir, paste0(name, ".obs.csv.gz")), "w")
  write.csv(data.frame(person = obs$person, partner_ses = fmt(obs$partner_ses)), con, row.names = FALSE, quote = FALSE)
  close(con)
}

# Simulate an area on the standardised scale: y_ij = b + a x_i + u_i + e_ij, then map to raw units.
simulate <- function(P, n_of, a, tau, sigma, b = 0.1, x_of = rnorm, u_of = rnorm, e_of = rnorm,
                     centre = 0, scale = 1, n_zero = 0) {
  x <- x_of(P)
  n <- n_of(P)
  u <- tau * u_of(P)
  person <- rep(seq_len(P), n)
  y <- b + a * x[person] + u[person] + sigma * e_of(length(person))
  persons <- data.frame(person = seq_len(P + n_zero), ses = centre + scale * c(x, x_of(n_zero)))
  list(persons = persons, obs = data.frame(person = person, partner_ses = centre + scale * y))
}

# 1. tiny: 12 persons (plus 2 without encounters), income-like raw SES.
set.seed(101)
s <- simulate(12, function(P) sample(5:15, P, replace = TRUE), a = 0.6, tau = 0.5, sigma = 1,
              centre = 52000, scale = 18000, n_zero = 2)
write_raw("tiny", s$persons, s$obs); fit_set("tiny", s$persons, s$obs)

# 2. boundary: no person effect (tau = 0); the first seed whose REML fit lands on theta = 0.
for (seed in 201:300) {
  set.seed(seed)
  s <- simulate(40, function(P) sample(3:8, P, replace = TRUE), a = 0.5, tau = 0, sigma = 1)
  f <- suppressMessages(lmer(y ~ x + (1 | person), REML = TRUE, control = ctrl,
        data = data.frame(person = factor(s$obs$person), x = (s$persons$ses[s$obs$person] - mean(s$persons$ses)) / sd(s$persons$ses),
                          y = (s$obs$partner_ses - mean(s$persons$ses)) / sd(s$persons$ses))))
  if (getME(f, "theta") == 0) break
}
add("boundary", "seed", seed)
write_raw("boundary", s$persons, s$obs); suppressMessages(fit_set("boundary", s$persons, s$obs))

# 3. singletons: 5,000 persons, 80% with exactly one encounter, the rest 2-4.
set.seed(301)
s <- simulate(5000, function(P) ifelse(runif(P) < 0.8, 1L, sample(2:4, P, replace = TRUE)),
              a = 0.4, tau = 0.5, sigma = 1, centre = 3, scale = 2)
write_raw("singletons", s$persons, s$obs); fit_set("singletons", s$persons, s$obs)

# 4. heavy: lognormal SES, t(2) residuals, t(3) person effects, Pareto-like encounter counts (1..2000).
set.seed(401)
s <- simulate(3000, function(P) pmin(2000L, as.integer(ceiling(1 / runif(P)^(1 / 1.1)))),
              a = 0.35, tau = 0.6, sigma = 1,
              x_of = function(k) rlnorm(k, 0, 0.8), u_of = function(k) rt(k, 3), e_of = function(k) rt(k, 2),
              centre = 10000, scale = 30000, n_zero = 25)
write_raw("heavy", s$persons, s$obs); fit_set("heavy", s$persons, s$obs)

# 5. balanced: 200 persons with 5 encounters each.
set.seed(501)
s <- simulate(200, function(P) rep(5L, P), a = 0.3, tau = 0.4, sigma = 1)
write_raw("balanced", s$persons, s$obs); fit_set("balanced", s$persons, s$obs)

# 6. near-boundary: strong sorting (ES ~ 0.99), tau small but positive, 2-30 encounters.
set.seed(601)
s <- simulate(1500, function(P) sample(2:30, P, replace = TRUE), a = 1, tau = 0.15, sigma = 1.5)
write_raw("nearboundary", s$persons, s$obs); fit_set("nearboundary", s$persons, s$obs)

# 7. big: 100,000 persons, 1 + Poisson(9) encounters each (~1M observations). SES on an integer grid
# (units of 1/1000 of an sd) so the per-person sums written below are exact in double precision.
set.seed(701)
P <- 100000L
n <- 1L + rpois(P, 9)
x <- rnorm(P)
u <- 0.45 * rnorm(P)
person <- rep(seq_len(P), n)
persons <- data.frame(person = seq_len(P), ses = round(1000 * x))
obs <- data.frame(person = person, partner_ses = round(1000 * (0.05 + 0.5 * x[person] + u[person] + rnorm(length(person)))))
con <- gzfile(file.path(out_dir, "big.stats.csv.gz"), "w")
write.csv(data.frame(person = persons$person, ses = fmt(persons$ses), n = n,
                     sum = fmt(as.numeric(rowsum(obs$partner_ses, obs$person))),
                     sum_sq = fmt(as.numeric(rowsum(obs$partner_ses^2, obs$person)))),
          con, row.names = FALSE, quote = FALSE)
close(con)
fit_set("big", persons, obs)

write.csv(golden, file.path(out_dir, "golden.csv"), row.names = FALSE, quote = TRUE)
cat("wrote", file.path(out_dir, "golden.csv"), "\n")
