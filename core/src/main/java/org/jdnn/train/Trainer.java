package org.jdnn.train;

import java.util.ArrayList;
import java.util.List;
import org.jdnn.autograd.NoGrad;
import org.jdnn.data.Batch;
import org.jdnn.data.DataLoader;
import org.jdnn.nn.Loss;
import org.jdnn.nn.Module;
import org.jdnn.optim.LrScheduler;
import org.jdnn.optim.Optimizer;
import org.jdnn.tensor.Scope;
import org.jdnn.tensor.Tensor;

/**
 * The supervised training loop for classifiers: per step forward, loss, backward, optimizer step,
 * each inside its own {@link Scope} so activations and the graph are released at once; per epoch
 * an evaluation on the test set. Listeners see every step and epoch.
 *
 * <pre>{@code
 * Trainer trainer = new Trainer(model, new CrossEntropyLoss(), SGD.withMomentum(model.parameters(), 0.05, 0.9, false, 0));
 * List<EpochResult> history = trainer.fit(trainLoader, testLoader, 10, List.of(progress));
 * }</pre>
 */
public final class Trainer {
  private final Module model;
  private final Loss loss;
  private final Optimizer optimizer;
  private final double baseLr;
  private LrScheduler scheduler = LrScheduler.constant();
  private long globalStep;

  public Trainer(Module model, Loss loss, Optimizer optimizer) {
    this.model = model;
    this.loss = loss;
    this.optimizer = optimizer;
    this.baseLr = optimizer.lr();
  }

  /** Sets the learning-rate schedule applied at the start of each epoch; returns this. */
  public Trainer setScheduler(LrScheduler scheduler) {
    this.scheduler = scheduler;
    return this;
  }

  /** Steps taken so far. */
  public long globalStep() {
    return globalStep;
  }

  /** Trains for epochs {@code 0..epochs-1}, evaluating on {@code test} (may be null) after each. */
  public List<EpochResult> fit(DataLoader train, DataLoader test, int epochs, List<TrainListener> listeners) {
    return fit(train, test, 0, epochs, listeners);
  }

  /** Trains epochs {@code firstEpoch..epochs-1}; the data order of each epoch depends only on its number. */
  public List<EpochResult> fit(DataLoader train, DataLoader test, int firstEpoch, int epochs, List<TrainListener> listeners) {
    List<EpochResult> history = new ArrayList<>();
    for (int epoch = firstEpoch; epoch < epochs; epoch++) {
      EpochResult r = trainEpoch(train, test, epoch, epochs, listeners);
      history.add(r);
    }
    return history;
  }

  private EpochResult trainEpoch(DataLoader train, DataLoader test, int epoch, int epochs, List<TrainListener> listeners) {
    int steps = train.batches();
    optimizer.setLr(scheduler.lr(epoch, baseLr));
    for (TrainListener l : listeners) l.onEpochStart(epoch, epochs, steps);
    model.train();
    long start = System.nanoTime();
    double lossSum = 0;
    long correct = 0;
    long seen = 0;
    int step = 0;
    for (Batch batch : train.epoch(epoch)) {
      double batchLoss;
      try (Scope scope = Scope.open()) {
        Tensor logits;
        Tensor l;
        if (model instanceof AuxiliaryHeads) { // GoogLeNet: main loss plus weighted side losses
          AuxiliaryHeads.Heads heads = ((AuxiliaryHeads) model).forwardHeads(batch.x());
          logits = heads.main();
          l = loss.forward(logits, batch.y());
          for (Tensor aux : heads.aux()) {
            l = l.add(loss.forward(aux, batch.y()).mul(((AuxiliaryHeads) model).auxLossWeight()));
          }
        } else {
          logits = model.forward(batch.x());
          l = loss.forward(logits, batch.y());
        }
        batchLoss = l.item();
        if (!Double.isFinite(batchLoss)) {
          throw new TrainingDivergedException(String.format(
              "loss is %s at epoch %d, step %d (learning rate %s): training diverged; lower --lr or check the data",
              batchLoss, epoch + 1, step + 1, optimizer.lr()));
        }
        optimizer.zeroGrad();
        l.backward();
        optimizer.step();
        correct += countCorrect(logits, batch.y());
      }
      int n = batch.size();
      seen += n;
      lossSum += batchLoss * n;
      step++;
      globalStep++;
      double seconds = (System.nanoTime() - start) / 1e9;
      StepResult sr = new StepResult(epoch, step, steps, globalStep, batchLoss, n, seen / seconds, optimizer.lr());
      for (TrainListener li : listeners) li.onStep(sr);
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    Evaluation eval = test == null ? null : evaluate(test);
    EpochResult r = new EpochResult(epoch, epochs, globalStep, lossSum / seen, (double) correct / seen, eval,
        seen / seconds, seconds, optimizer.lr());
    for (TrainListener l : listeners) l.onEpochEnd(r);
    return r;
  }

  /** Mean loss and accuracy over {@code data} in evaluation mode, without recording a graph. */
  public Evaluation evaluate(DataLoader data) {
    boolean wasTraining = model.isTraining();
    model.eval();
    double lossSum = 0;
    long correct = 0;
    int seen = 0;
    try (NoGrad ignored = NoGrad.enter()) {
      for (Batch batch : data.epoch(0)) {
        try (Scope scope = Scope.open()) {
          Tensor logits = model.forward(batch.x());
          lossSum += loss.forward(logits, batch.y()).item() * batch.size();
          correct += countCorrect(logits, batch.y());
          seen += batch.size();
        }
      }
    } finally {
      if (wasTraining) model.train();
    }
    return new Evaluation(lossSum / seen, (double) correct / seen, seen);
  }

  private static long countCorrect(Tensor logits, Tensor labels) {
    long[] predicted;
    try (NoGrad ignored = NoGrad.enter()) {
      predicted = logits.argmax(1).toLongArray();
    }
    long[] truth = labels.toLongArray();
    long c = 0;
    for (int i = 0; i < truth.length; i++) if (predicted[i] == truth[i]) c++;
    return c;
  }
}
