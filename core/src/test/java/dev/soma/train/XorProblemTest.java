package dev.soma.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.soma.nn.BCELoss;
import dev.soma.nn.Sequential;
import dev.soma.optim.SGD;
import dev.soma.tensor.Generator;
import dev.soma.tensor.Tensor;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The XOR reference workload: the problem as stated, one step as PyTorch's loop, and it learns. */
class XorProblemTest {

    @Test
    void theProblemIsXorOnTheFourCornersWithA241Network() {
        XorProblem xor = new XorProblem(new Generator(0));
        assertArrayEquals(new int[] {4, 2}, xor.inputs().shape());
        assertArrayEquals(new float[] {0, 0, 0, 1, 1, 0, 1, 1}, xor.inputs().toArray());
        assertArrayEquals(new int[] {4, 1}, xor.targets().shape());
        assertArrayEquals(new float[] {0, 1, 1, 0}, xor.targets().toArray());
        List<Tensor> parameters = xor.network().parameters();
        assertEquals(List.of(List.of(4, 2), List.of(4), List.of(1, 4), List.of(1)),
                parameters.stream().map(p -> Arrays.stream(p.shape()).boxed().toList()).toList());
    }

    @Test
    void aStepIsPyTorchsLoopWrittenOut() {
        XorProblem xor = new XorProblem(new Generator(3));
        Sequential byHand = XorProblem.network(new Generator(3));
        SGD optimizer = new SGD(byHand.parameters(), 0.5);
        BCELoss loss = new BCELoss();
        for (int step = 0; step < 10; step++) {
            optimizer.zeroGrad();
            Tensor value = loss.forward(byHand.forward(xor.inputs()), xor.targets());
            value.backward();
            optimizer.step();
            assertEquals(value.item(), xor.step().item(), "step " + step);
        }
        for (int i = 0; i < 4; i++) {
            assertArrayEquals(byHand.parameters().get(i).toArray(), xor.network().parameters().get(i).toArray());
        }
    }

    @Test
    void fiveThousandStepsLearnXor() {
        XorProblem xor = new XorProblem(new Generator(0));
        float first = xor.step().item();
        float last = first;
        for (int step = 1; step < 5000; step++) {
            last = xor.step().item();
        }
        assertTrue(last < 0.05 && last < first, "loss " + first + " → " + last);
        float[] predictions = xor.predictions();
        float[] expected = {0, 1, 1, 0};
        for (int i = 0; i < 4; i++) {
            assertEquals(expected[i], predictions[i], 0.25, "point " + i);
        }
    }
}
